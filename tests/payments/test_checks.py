"""The deploy check that keeps eopayment's dummy backend out of a deployed site."""

import pytest
from django.core.checks import registry

from guichet.payments.checks import dummy_backend_off_in_production


def test_check__runs_with_the_deploy_checks_only():
    assert dummy_backend_off_in_production in registry.registry.get_checks(
        include_deployment_checks=True
    )
    assert dummy_backend_off_in_production not in registry.registry.get_checks()


def test_check__dummy_backend_with_debug_off_is_an_error(settings):
    settings.GUICHET_PAYMENT_ALLOW_DUMMY = True
    settings.DEBUG = False

    errors = dummy_backend_off_in_production()

    assert [(error.id, error.level) for error in errors] == [("guichet.payments.E001", 40)]


@pytest.mark.parametrize(("allow_dummy", "debug"), [(False, False), (True, True)])
def test_check__dummy_backend_off_or_debug_on_passes(settings, allow_dummy, debug):
    settings.GUICHET_PAYMENT_ALLOW_DUMMY = allow_dummy
    settings.DEBUG = debug

    assert dummy_backend_off_in_production() == []
