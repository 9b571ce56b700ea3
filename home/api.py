"""API: who the signed-in person is, and the roles their relationships give them."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from programmes import access


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=access.ALL_ROLES))


class MeView(APIView):
    """The signed-in person and the roles their relationships give them."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        data = {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "roles": access.roles_for(user),
        }
        return Response(MeSerializer(data).data)
