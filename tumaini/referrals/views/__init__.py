"""Referral views: staff (outgoing, through the case), the receiving partner, the public one-time
link, and incoming referrals. Each module keeps its routes beside its views."""
