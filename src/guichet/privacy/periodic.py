"""The daily retention sweep (RGPD), enqueued by the worker like every app's SWEEPS."""

from guichet.privacy.tasks import retention_sweep_task

SWEEPS = [retention_sweep_task]
