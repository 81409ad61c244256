from django.dispatch import Signal

# Sent inside the closing transaction with `work_order` and `sources` (the linked rows):
# each domain closes its own rows and tells its own people.
work_order_done = Signal()
