import pytest
from django.core.management import call_command

from accounts.models import Role, User
from cooperatives.models import Cooperative


@pytest.mark.django_db
def test_demo_data_covers_every_sector_and_role_and_running_twice_duplicates_nothing():
    call_command("seed_demo")
    counts = (Cooperative.objects.count(), User.objects.count(), Cooperative.history.count())
    call_command("seed_demo")
    assert (Cooperative.objects.count(), User.objects.count(), Cooperative.history.count()) == counts
    assert counts[0] == 300
    assert Cooperative.objects.values("sector").distinct().count() == 8
    assert Cooperative.objects.values("province").distinct().count() == 5
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    member = User.objects.get(role=Role.COOPERATIVE_MEMBER)
    assert member.cooperative is not None


@pytest.mark.django_db
def test_demo_data_is_refused_in_production(settings):
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert Cooperative.objects.count() == 0


@pytest.mark.django_db
def test_demo_products_and_listings_are_written_through_the_registrys_services():
    """The demo's OCOP products and listings are recorded like an officer's: by the seeding
    administrator, in their history, with the model's rules."""
    from cooperatives.models import EcommerceListing, OcopProduct

    call_command("seed_demo")
    admin = User.objects.get(username="quantri")
    assert OcopProduct.objects.exists() and EcommerceListing.objects.exists()
    for model in (OcopProduct, EcommerceListing):
        creators = set(model.history.filter(history_type="+").values_list("history_user", flat=True))
        assert creators == {admin.pk}
        for row in model.objects.all()[:50]:
            row.full_clean()
