"""The `passerelle` command line (contract section 4)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from passerelle import catalog_messages
from passerelle.db import create_db_engine, migrate, schema_is_current, session_scope
from passerelle.i18n import environment_language, get_translations
from passerelle.settings import get_settings
from services_catalog import exporting, importing
from services_catalog.demo import load_demo
from services_catalog.errors import validation_message
from services_catalog.service import count_offers

# The matcher (numpy, scipy, scikit-learn) is imported by the commands that use it only:
# it would double the start-up time of every other command.
if TYPE_CHECKING:
    from passerelle.schemas import MatchResponse


class PasserelleCli(typer.Typer):
    """The command line, saying what is wrong with the configuration or the database in one
    line (no traceback, no setting's value: one of them may be a password), exit status 1."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except ValidationError as exc:
            problems = "; ".join(_setting_problem(error) for error in exc.errors())
            _fail(f"the configuration is not valid: {problems}")
        except ArgumentError:
            _fail("DATABASE_URL is not a database address (like postgresql://user@host/name)")
        except OperationalError as exc:
            shown = make_url(get_settings().database_url).render_as_string(hide_password=True)
            reason = str(exc.orig or exc).strip().splitlines()[0]
            _fail(f"cannot reach the database {shown}: {reason}")


def _setting_problem(error: dict) -> str:
    message = error["msg"].removeprefix("Value error, ")
    return f"{error['loc'][0]}: {message}" if error["loc"] else message


def _fail(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise SystemExit(1)


app = PasserelleCli(help="Passerelle: support and financing for diaspora entrepreneurs.")


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"
    hsds = "hsds"


class Lang(StrEnum):
    en = "en"
    fr = "fr"


class ImportStatus(StrEnum):
    published = "published"
    pending = "pending"


def _engine():
    """The database engine, once its schema is known to be current: otherwise a clear
    message and exit status 1 rather than an SQL error halfway through a command."""
    engine = create_db_engine(get_settings().database_url)
    if not schema_is_current(engine):
        shown = engine.url.render_as_string(hide_password=True)
        typer.echo(
            f"Error: the database {shown} has no schema yet or an older one; "
            "run `passerelle init` first.",
            err=True,
        )
        raise typer.Exit(1)
    return engine


@app.command()
def init(demo: Annotated[bool, typer.Option(help="Load the demo catalogue.")] = False) -> None:
    """Create or migrate the schema; with --demo, load the demo catalogue."""
    engine = create_db_engine(get_settings().database_url)
    migrated = migrate(engine)
    done = "schema migrated" if migrated else "schema already current"
    typer.echo(f"Database ready ({done}): {engine.url.render_as_string(hide_password=True)}")
    if demo:
        with session_scope(engine) as session:
            report = load_demo(session)
        typer.echo(f"Demo catalogue: {catalog_messages.summary(report, 'en')}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1, envvar="PASSERELLE_WORKERS", help="Processes serving (e.g. one per core)."
        ),
    ] = 1,
) -> None:
    """Run the web platform."""
    from passerelle.serving import serve as run_server

    _engine().dispose()  # refuse to serve a database without its schema
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    typer.echo(
        f"Passerelle is running on http://{shown}:{port}/ with {workers} process(es) "
        "(Ctrl+C to stop)"
    )
    run_server(host=host, port=port, workers=workers)


@app.command()
def worker(
    once: Annotated[
        bool,
        typer.Option("--once", help="Do one pass (send what is due, run due jobs), then exit."),
    ] = False,
) -> None:
    """Send the queued mail and run the scheduled jobs, until stopped (Ctrl+C or SIGTERM)."""
    import signal
    import threading

    from passerelle import worker as background

    engine, settings = _engine(), get_settings()
    if once:
        sent, jobs = background.run_once(engine, settings)
        ran = ", ".join(f"{name} ({count})" for name, count in jobs.items()) or "none"
        typer.echo(f"Worker pass done: {sent} mail(s) sent; jobs run: {ran}.")
        engine.dispose()
        return
    stop = threading.Event()
    # The batch under way ends after its current message; the rest goes back to the queue.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    typer.echo("Passerelle worker running (Ctrl+C to stop)")
    background.run_forever(engine, settings, stop)
    engine.dispose()
    typer.echo("Passerelle worker stopped")


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".csv or .json")],
    status: Annotated[ImportStatus, typer.Option(help="Status of imported offers.")] = (
        ImportStatus.published
    ),
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the valid rows, skip the others.")
    ] = False,
    lang: Annotated[
        Lang | None,
        typer.Option(help="Language of the report [default: the environment's locale, else en]"),
    ] = None,
) -> None:
    """Import offers from CSV or JSON; by default one invalid row imports nothing (exit 1)."""
    locale = lang.value if lang else environment_language()
    _ = get_translations(locale).gettext

    def progress(done: int, total: int) -> None:
        if total >= 1000:
            typer.echo(f"  {done}/{total} rows stored", err=True)

    try:
        rows = importing.read_file(file)
        # Caught outside the session's scope, so that a file found unreadable halfway
        # leaves nothing written.
        with session_scope(_engine()) as session:
            report = importing.import_offers(
                session, rows, status=status.value, skip_invalid=skip_invalid, progress=progress
            )
    except importing.ImportFileError as exc:
        problem = catalog_messages.translate(exc.message, locale)
        typer.echo(_("error: %(file)s: %(problem)s") % {"file": file, "problem": problem}, err=True)
        raise typer.Exit(1) from None
    for error in report.errors:
        line = catalog_messages.row_error(error, locale)
        typer.echo(_("error: %(problem)s") % {"problem": line}, err=True)
    for note in report.conversions:
        line = catalog_messages.conversion(note, locale)
        typer.echo(_("converted: %(note)s") % {"note": line})
    if not report.applied:
        typer.echo(catalog_messages.nothing_imported(report, locale))
        raise typer.Exit(1)
    typer.echo(catalog_messages.summary(report, locale))


@app.command()
def export(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="Where to write.")],
    format: Annotated[ExportFormat, typer.Option("--format", help="File format.")] = (  # noqa: A002
        ExportFormat.json
    ),
) -> None:
    """Export the published catalogue: exchange format (json, csv) or Open Referral HSDS 3.0."""
    with session_scope(_engine()) as session:
        text, count = exporting.export_catalogue(session, format.value)
    file.write_text(text, encoding="utf-8")
    typer.echo(f"Exported {count} offers to {file} ({format.value}).")


@app.command()
def recommend(
    profile: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Profile JSON.")],
    top: Annotated[int, typer.Option(min=1, max=100, help="How many offers.")] = 10,
    as_of: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Reference date (YYYY-MM-DD).")
    ] = None,
    lang: Annotated[Lang, typer.Option(help="Language of the reasons.")] = Lang.en,
    as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON answer.")] = False,
) -> None:
    """Rank the eligible offers for a profile (contract section 3), with reasons."""
    from matching import NeedsModel
    from passerelle.recommender import Recommender
    from passerelle.schemas import MatchResponse, ProfileIn

    try:
        request = ProfileIn.model_validate_json(profile.read_bytes())
    except ValidationError as exc:
        _ = get_translations(lang.value).gettext
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"]) or "profile"
            problem = catalog_messages.field_error(field, *validation_message(error), lang.value)
            typer.echo(
                _("error: %(file)s: %(problem)s") % {"file": profile, "problem": problem}, err=True
            )
        raise typer.Exit(1) from None
    reference = as_of.date() if as_of else date.today()
    recommender = Recommender(_engine(), NeedsModel.default())
    response = MatchResponse.of(
        recommender.recommend(request.to_profile(), as_of=reference, top=top, lang=lang.value)
    )
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    _print_matches(response)


def _print_matches(response: MatchResponse) -> None:
    if response.inferred_needs is not None:
        typer.echo(f"Needs read from the description: {', '.join(response.inferred_needs) or '-'}")
    if not response.results:
        typer.echo("No eligible offer.")
    for rank, item in enumerate(response.results, start=1):
        typer.echo(
            f"{rank:>2}. [{item.score:.3f}] {item.title} ({item.organization}, #{item.offer_id})"
        )
        for reason in item.reasons:
            typer.echo(f"      - {reason}")
        for caution in item.cautions:
            typer.echo(f"      ! {caution}")
    if response.near_misses:
        typer.echo("Near misses:")
        for miss in response.near_misses:
            typer.echo(f"    {miss.title} ({miss.organization}): {miss.missing}")


@app.command()
def evaluate(
    dataset: Annotated[
        Path | None,
        typer.Option(
            "--set", exists=True, dir_okay=False, help="Labelled set (JSON); the shipped one."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Measure the matcher against two baselines on the labelled set (exit 1 on a violation)."""
    import json
    from dataclasses import asdict

    from matching import NeedsModel, evaluation
    from passerelle.recommender import CatalogueLabels, currency_rates, demo_offer_records

    offers = demo_offer_records()
    cases = evaluation.load_cases(dataset)
    for problem in evaluation.judgment_problems(cases, offers):
        typer.echo(f"warning: {problem}", err=True)
    scores = evaluation.evaluate_systems(
        offers,
        cases,
        labels=CatalogueLabels(),
        needs_model=NeedsModel.default(),
        currency_rates=currency_rates(),
    )
    matcher = scores[0]
    if as_json:
        typer.echo(json.dumps([asdict(score) for score in scores], indent=2))
    else:
        typer.echo(evaluation.format_table(scores))
        typer.echo(
            f"P@5 counts offers graded {evaluation.RELEVANT_GRADE} or more; "
            "violations are recommended offers the profile is not eligible for."
        )
        worst = evaluation.worst_cases(matcher)
        typer.echo(
            "Matcher's weakest profiles (NDCG@10): "
            + ", ".join(f"{case.case_id} {case.ndcg10:.2f}" for case in worst)
        )
    if matcher.violations:
        typer.echo(
            f"error: the matcher recommended {matcher.violations} ineligible offer(s)", err=True
        )
        raise typer.Exit(1)


@app.command("classify")
def classify_command(
    text: Annotated[str, typer.Argument(help="The offer's title and description (fr or en).")],
    catalogue: Annotated[
        bool,
        typer.Option("--catalogue", help="Retrain first on the database's published offers."),
    ] = False,
    lang: Annotated[Lang, typer.Option(help="Language of the labels.")] = Lang.en,
    as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON answer.")] = False,
) -> None:
    """Propose an offer's kind, categories and sectors, with confidences."""
    from passerelle.classifier.store import ClassifierStore
    from passerelle.schemas import ClassifyResponse
    from services_catalog.classify import Classifier

    if not text.strip():
        typer.echo("error: the text to classify is empty", err=True)
        raise typer.Exit(1)
    if catalogue:
        with session_scope(_engine()) as session:
            classifier = Classifier.from_catalogue(session)
    else:  # the model the web platform answers with
        classifier = ClassifierStore(_engine()).current()
    response = ClassifyResponse.of(classifier.suggest(text))
    if as_json:
        typer.echo(response.model_dump_json(indent=2))
        return
    kind = response.kind
    typer.echo(f"Kind: {kind.code} ({getattr(kind, lang.value)}), confidence {kind.confidence:.2f}")
    typer.echo("Categories (the first is the primary one):")
    for item in response.categories:
        typer.echo(f"  {item.code:<22} {item.confidence:.2f}  {getattr(item, lang.value)}")
    if not response.sectors:
        typer.echo("Sectors: none proposed (open to all sectors)")
        return
    typer.echo("Sectors:")
    for item in response.sectors:
        typer.echo(f"  {item.code:<22} {item.confidence:.2f}  {getattr(item, lang.value)}")


@app.command("train-classifier")
def train_classifier() -> None:
    """Retrain the classifier on the shipped examples and the published catalogue; every
    process of the platform answers with it within a second (also after a restart)."""
    from passerelle.classifier.store import ClassifierStore

    engine = _engine()
    store = ClassifierStore(engine)
    with session_scope(engine) as session:
        published = count_offers(session)
        store.retrain(session, trained_by="passerelle train-classifier")
    typer.echo(f"Classifier retrained on the examples and {published} published offer(s).")
    typer.echo("Stored in the database: every process of the platform answers with it.")


@app.command("classify-evaluate")
def classify_evaluate(
    folds: Annotated[int, typer.Option(min=2, max=20, help="Cross-validation folds.")] = 5,
    shipped: Annotated[
        bool,
        typer.Option(
            "--shipped", help="Use the shipped examples and demo catalogue, not the database."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Cross-validate the classifier against a majority baseline: macro-F1 per field."""
    import json
    from dataclasses import asdict

    from services_catalog import classify

    if shipped:
        records = classify.shipped_records()
        source = "the shipped examples and the demo catalogue"
    else:
        with session_scope(_engine()) as session:
            records = classify.catalogue_records(session)
        published = len(records) - len(classify.load_examples())
        source = f"the shipped examples and {published} published offer(s)"
    try:
        evaluation = classify.evaluate(records, folds=folds)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(asdict(evaluation), indent=2))
        return
    typer.echo(f"Data: {source}.")
    typer.echo(classify.format_evaluation(evaluation))


class Role(StrEnum):
    entrepreneur = "entrepreneur"
    provider = "provider"
    staff = "staff"
    admin = "admin"


@app.command("create-user")
def create_user(
    email: Annotated[str, typer.Argument(help="E-mail address, used to log in.")],
    role: Annotated[Role, typer.Option(help="What the account may do.")] = Role.staff,
    name: Annotated[str | None, typer.Option(help="Display name (default: the e-mail).")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an account, e.g. the first staff member; the password is prompted for."""
    import sys

    from passerelle.accounts import service
    from passerelle.accounts.errors import FormError
    from passerelle.accounts.schemas import SignupIn

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        data = SignupIn(email=email, display_name=name or email, password=password, locale="fr")
    except ValidationError as exc:
        for error in exc.errors():
            typer.echo(f"error: {error['loc'][0]}: {error['msg']}", err=True)
        raise typer.Exit(1) from None
    try:
        with session_scope(_engine()) as session:
            user = service.create_user(session, data, role=role.value)
    except FormError as exc:
        typer.echo(f"error: {exc.field}: {exc.detail}", err=True)
        raise typer.Exit(1) from None
    if user is None:
        typer.echo(f"error: email: an account already uses {data.email}", err=True)
        raise typer.Exit(1)
    typer.echo(f"Created {user.role} account #{user.id} for {user.email}.")
