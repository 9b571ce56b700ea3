"""Output serializers for programmes, cohorts and enrolments (shapes fixed by api.md)."""

from rest_framework import serializers

from accounts.models import Organisation, User
from programmes.models import KSB, Cohort, Enrolment, Module, Programme, Standard


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name", "email"]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


class StandardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Standard
        fields = ["id", "code", "version", "title", "level", "otj_minimum_hours"]


class KSBSerializer(serializers.ModelSerializer):
    class Meta:
        model = KSB
        fields = ["id", "code", "kind", "statement"]


class ModuleSerializer(serializers.ModelSerializer):
    ksbs = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Module
        fields = ["id", "order", "title", "year", "term", "weeks_online", "campus_days", "ksbs"]


class ProgrammeSerializer(serializers.ModelSerializer):
    standard = StandardSerializer()
    modules = ModuleSerializer(many=True)
    ksbs = KSBSerializer(many=True, source="standard.ksbs")
    provider = OrganisationSerializer()
    awards = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Programme
        fields = ["id", "name", "provider", "standard", "awards", "modules", "ksbs"]


class ProgrammeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "name"]


class CohortSerializer(serializers.ModelSerializer):
    programme = ProgrammeRefSerializer()
    enrolment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Cohort
        fields = ["id", "name", "start_date", "programme", "enrolment_count"]


class CohortRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cohort
        fields = ["id", "name"]


class EnrolmentSerializer(serializers.ModelSerializer):
    apprentice = PersonSerializer()
    programme = ProgrammeRefSerializer()
    cohort = CohortRefSerializer()
    employer = OrganisationSerializer()
    line_manager = PersonSerializer()
    practice_tutor = PersonSerializer()

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "apprentice",
            "programme",
            "cohort",
            "employer",
            "line_manager",
            "practice_tutor",
            "status",
            "start_date",
            "planned_end_date",
            "actual_end_date",
            "contracted_weekly_hours",
            "prior_learning_hours",
        ]
