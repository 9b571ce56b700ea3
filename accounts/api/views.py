"""API: exchange email and password for a token; who am I."""

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import error_response


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        required=False, allow_blank=True, help_text="Authenticator code, required when the account uses MFA."
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class ObtainTokenView(APIView):
    """Exchange email and password (and an authenticator code if MFA is on) for an API token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: error_response(
                "Wrong credentials or authenticator code, an unconfirmed email, or input that is not valid.",
                component="ValidationError",
            ),
            429: error_response("Too many failed attempts; try again in a few minutes."),
        },
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"].lower()
        django_request = request._request
        adapter = get_adapter(django_request)
        # allauth's own authenticate: the same failed-attempt counters (per IP and per email) as the login page.
        try:
            user = adapter.authenticate(
                django_request, email=email, password=serializer.validated_data["password"]
            )
        except ValidationError:
            return Response(
                {"detail": "Too many failed attempts. Try again in a few minutes."},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if user is None or not user.is_active:
            return Response(
                {"detail": "Email address or password is not correct."}, status=status.HTTP_400_BAD_REQUEST
            )
        if not EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
            return Response(
                {
                    "detail": "Confirm your email address first: sign in on the website to be sent a confirmation link."
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is not None:
            code = serializer.validated_data.get("otp", "").strip()
            if not code:
                return Response(
                    {
                        "otp": [
                            "This account uses two-factor authentication; include your authenticator code as 'otp'."
                        ]
                    },
                    status=status.HTTP_400_BAD_REQUEST,
                )
            if not TOTP(totp).validate_code(code):
                # A wrong code counts as a failed attempt on the same counters as a wrong password.
                key = adapter._get_login_attempts_cache_key(django_request, email=email)
                ratelimit.consume(django_request, action="login_failed", key=key)
                return Response(
                    {"otp": ["The authenticator code is not correct."]}, status=status.HTTP_400_BAD_REQUEST
                )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
