"""The field allauth's sign-up forms add for readers (ACCOUNT_SIGNUP_FORM_CLASS): allauth imports this module
while it builds its own forms, so it imports nothing of allauth's."""

from django import forms

from comments.display_names import MAX_LENGTH, clean_display_name


class ReaderSignupForm(forms.Form):
    """What allauth's sign-up form adds (ACCOUNT_SIGNUP_FORM_CLASS): the name shown with comments."""

    display_name = forms.CharField(
        label="Ime koje se prikazuje uz komentare",
        max_length=MAX_LENGTH * 2,
        help_text="Vidljivo svima. Možete ga kasnije promeniti.",
        error_messages={"required": "Unesite ime koje će se prikazivati uz vaše komentare."},
    )

    def clean_display_name(self):
        name, _ = clean_display_name(self.cleaned_data["display_name"])
        return name

    def signup(self, request, user):
        # Imported here: comments.accounts imports allauth's forms, which import this module.
        from comments.accounts import create_reader_profile

        create_reader_profile(user, self.cleaned_data["display_name"])
