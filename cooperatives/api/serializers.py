"""Representations of the reference data and the registry in the API (read only)."""

from __future__ import annotations

from rest_framework import serializers

from cooperatives.models import Cooperative, EcommerceListing, LegacyProvince, OcopProduct, Province, Sector, Ward


class LegacyNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegacyProvince
        fields = ["code", "name", "short_name"]


class ProvinceSerializer(serializers.ModelSerializer):
    predecessors = LegacyNameSerializer(many=True, read_only=True, help_text="Pre-2025 provinces merged into it.")

    class Meta:
        model = Province
        fields = ["code", "name", "short_name", "kind", "latitude", "longitude", "predecessors"]


class WardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ward
        fields = ["code", "name", "kind"]


class ProvinceDetailSerializer(ProvinceSerializer):
    wards = WardSerializer(many=True, read_only=True)

    class Meta(ProvinceSerializer.Meta):
        fields = [*ProvinceSerializer.Meta.fields, "wards"]


class LegacyProvinceSerializer(serializers.ModelSerializer):
    successor: serializers.SlugRelatedField[Province] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Current province code."
    )
    successor_name = serializers.CharField(source="successor.name", read_only=True)

    class Meta:
        model = LegacyProvince
        fields = ["code", "name", "short_name", "successor", "successor_name"]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "name", "name_en", "position"]


class CooperativeSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", read_only=True, help_text="Province code.")
    province_name = serializers.CharField(source="province.name", read_only=True)
    ward = serializers.CharField(source="ward.code", read_only=True, allow_null=True, default=None)
    ward_name = serializers.CharField(source="ward.name", read_only=True, allow_null=True, default=None)
    sector = serializers.CharField(source="sector.code", read_only=True, help_text="Sector code.")

    class Meta:
        model = Cooperative
        fields = [
            "id",
            "code",
            "name",
            "province",
            "province_name",
            "ward",
            "ward_name",
            "sector",
            "status",
            "members_count",
            "founded_on",
            "maturity_level",
            "is_archived",
            "updated_at",
        ]
        read_only_fields = fields


class OcopProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = OcopProduct
        fields = ["name", "stars", "year_certified"]


class EcommerceListingSerializer(serializers.ModelSerializer):
    class Meta:
        model = EcommerceListing
        fields = ["platform", "url"]


class CooperativeDetailSerializer(CooperativeSerializer):
    ocop_products = OcopProductSerializer(many=True, read_only=True)
    listings = EcommerceListingSerializer(many=True, read_only=True)
    # Most cooperatives have neither: the value is then "", which no e-mail or URI format admits,
    # so the schema declares plain strings (a client validating formats would refuse "").
    email = serializers.CharField(read_only=True, help_text="An e-mail address, or empty when none is known.")
    website = serializers.CharField(read_only=True, help_text="A web address (URL), or empty when none is known.")

    class Meta(CooperativeSerializer.Meta):
        fields = [
            *CooperativeSerializer.Meta.fields,
            "address",
            "phone",
            "email",
            "representative",
            "website",
            "traceability",
            "created_at",
            "ocop_products",
            "listings",
        ]
        read_only_fields = fields
