"""The one sign form: the version and hash the signer read (hidden), their typed name, password or code, role."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms

from core.signatures.services import Proof


class SignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    full_name = forms.CharField(
        label="Type your full name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = forms.CharField(
        label="Your password",
        required=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Confirms it is you. If you use two-factor authentication you may enter a code instead.",
    )
    code = forms.CharField(
        label="Authenticator code",
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    role = forms.ChoiceField(label="Signing as", required=False, choices=())

    def __init__(
        self,
        *args,
        roles: list[tuple[str, str]],
        uses_mfa: bool,
        document=None,
        aliases: Mapping[str, str] | None = None,
        **kwargs,
    ):
        """``roles``: the (value, label) roles the signer may still sign for; ``document``: what they are reading,
        whose version and hash the hidden fields carry; ``aliases``: older role names accepted on input."""
        data = args[0] if args else kwargs.get("data")
        if aliases and data is not None and data.get("role") in aliases:
            data = data.copy()
            data["role"] = aliases[data["role"]]
            args = (data, *args[1:]) if args else args
            kwargs.update({} if args else {"data": data})
        if document is not None:
            kwargs.setdefault("initial", {}).update(
                {"version": document.version, "content_hash": document.content_hash}
            )
        super().__init__(*args, **kwargs)
        if len(roles) > 1:
            self.fields["role"].choices = roles
            self.fields["role"].required = True
        else:
            del self.fields["role"]
        if not uses_mfa:
            del self.fields["code"]
            self.fields["password"].help_text = "Confirms it is you."

    def proof(self) -> Proof:
        data = self.cleaned_data
        return Proof(
            version=data.get("version"),
            content_hash=data.get("content_hash") or "",
            full_name=data.get("full_name") or "",
            password=data.get("password") or "",
            code=data.get("code") or "",
            role=data.get("role") or "",
        )
