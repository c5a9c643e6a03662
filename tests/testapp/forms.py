from django import forms


class DossierForm(forms.Form):
    subject_name = forms.CharField(max_length=200)
    label = forms.CharField(max_length=50, required=False)
    # The version the user read: the update is refused if another edit landed since.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
