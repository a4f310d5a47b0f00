from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.services import AcceptedCredits, ListicleImportError, listicle_import


class Command(BaseCommand):
    help = (
        "Import a plain-text or Markdown listicle (or an exported JSON list) as a ranked "
        "article, and print the report: entries, films matched or new, repairs, warnings, "
        "checks. Importing the same file again updates the draft it made."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A UTF-8 .txt or .md file; - reads standard input.")
        parser.add_argument("--title", help="The list's title, when the text has no title line.")
        parser.add_argument("--dek", help="The standfirst under the title.")
        parser.add_argument("--publish", action="store_true", help="Publish at the text's date (or now).")
        parser.add_argument(
            "--accept-credits",
            action="store_true",
            help="Add the directors, studios and composers the text names to new films.",
        )
        parser.add_argument("--author", help="Username of the byline.")
        parser.add_argument("--dry-run", action="store_true", help="Show the report; write nothing.")

    def handle(self, *args, path, title, dek, publish, accept_credits, author, dry_run, **options):
        import sys

        try:
            data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as e:
            raise CommandError(f"Cannot read {path}: {e.strerror}.") from None
        user = None
        if author:
            user = get_user_model().objects.filter(username=author).first()
            if user is None:
                raise CommandError(f"No user called “{author}”.")
        try:
            report = listicle_import(
                text=data,
                title=title,
                dek=dek,
                publish=publish,
                accept_credits=AcceptedCredits.ALL if accept_credits else AcceptedCredits.NONE,
                author=user,
                dry_run=dry_run,
            )
        except ListicleImportError as e:
            raise CommandError("Nothing was imported.\n" + "\n".join(e.messages)) from None
        if report.errors:  # only a dry run gets this far with errors: it says what a real import would refuse
            raise CommandError("Nothing would be imported.\n" + "\n".join(n.message for n in report.errors))
        for line in report_lines(report):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Done in {report.seconds * 1000:.0f} ms."))


def report_lines(report):
    """The import report (an ImportReport) as plain lines."""
    if report.dry_run:
        verb = "Would create" if report.created else "Would update"
    else:
        verb = "Created" if report.created else "Updated"
    state = report.article.get_status_display().lower()
    plan = report.plan
    lines = [
        f"{verb} {state} “{report.article.title}” with {len(report.films)} entries ({plan.published_on or 'no date'})."
    ]
    if plan.byline:
        lines.append(f"Byline: {plan.byline}")
    for outcome in report.films:
        how = "new film" if outcome.is_new else f"matched {outcome.film} by “{outcome.matched_by}”"
        flag = " (recovered)" if outcome.entry.recovered else ""
        lines.append(f"  #{outcome.entry.rank} {outcome.entry.title}{flag}: {how}")
        for key, credit in outcome.proposals:
            mark = "+" if key in report.credits_added else "?"
            lines.append(f"      {mark} {credit.label}: {credit.name}")
    if plan.hashtags:
        lines.append("Hashtags: " + " ".join(f"#{t}" for t in plan.hashtags))
    lines += [f"Warning: {n.message}" for n in report.warnings]
    lines += [f"Repaired: {n.message}" for n in plan.repairs]
    lines += [f"Note: {n.message}" for n in report.infos]
    lines += [f"Check: {m}" for m in report.checks]
    return lines
