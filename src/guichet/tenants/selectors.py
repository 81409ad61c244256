from guichet.tenants.models import Authority


def authority_for_host(*, host: str) -> Authority | None:
    """The authority serving a host name; the port is ignored."""
    name = host.rsplit(":", 1)[0].lower() if not host.startswith("[") else host
    return Authority.objects.filter(hosts__host=name).first()


def authorities_listed() -> list[Authority]:
    return list(Authority.objects.prefetch_related("hosts").order_by("name"))
