"""The one sign serializer: ``{"version", "content_hash", "full_name", "password"}`` (or ``"otp"``), and ``role``
when the caller holds more than one."""

from __future__ import annotations

from rest_framework import serializers

from core.signatures.services import Proof


class SignSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The version the signer read.")
    content_hash = serializers.CharField(
        max_length=64, help_text="The content hash of the version the signer read (as returned with it)."
    )
    full_name = serializers.CharField(max_length=200, help_text="The signer's full name, typed.")
    password = serializers.CharField(
        required=False, allow_blank=True, max_length=256, write_only=True, style={"input_type": "password"}
    )
    otp = serializers.CharField(
        required=False, allow_blank=True, max_length=6, write_only=True, help_text="An authenticator code."
    )
    code = serializers.CharField(
        required=False, allow_blank=True, max_length=6, write_only=True, help_text="Same as otp (older name)."
    )
    role = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="Needed only when the caller holds two roles.",
    )

    def proof(self) -> Proof:
        data = self.validated_data
        return Proof(
            version=data["version"],
            content_hash=data["content_hash"],
            full_name=data["full_name"],
            password=data.get("password", ""),
            code=data.get("otp") or data.get("code", ""),
            role=data.get("role", ""),
        )


class SignatureSerializer(serializers.Serializer):
    """A signature as every signed document's API shows it."""

    role = serializers.CharField()
    signed_by = serializers.CharField(source="typed_name")
    signed_at = serializers.DateTimeField()
    method = serializers.CharField()
    content_hash = serializers.CharField()
