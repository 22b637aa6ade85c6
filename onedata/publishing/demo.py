"""Demo: publish every module's datasets once the other modules' demo data exists (this
app seeds last), so the province dashboard and the hub show them at once. Idempotent:
a publication already refreshed in its current period is left alone."""

from onedata.publishing import services


def seed(stdout=None) -> None:
    for name in services.publications_due():
        status = services.publication_refresh(name=name)
        if stdout is not None:
            outcome = (
                f"version {status.last_version}, {status.last_rows} rows"
                if not status.failures
                else f"FAILED: {status.last_error}"
            )
            stdout.write(f"  One Data: {name}: {outcome}")
