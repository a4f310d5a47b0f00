from django.core.management.base import BaseCommand, CommandError

from articles.exporter import article_export
from articles.models import Article


class Command(BaseCommand):
    help = "Write a list out as Markdown or JSON; import_listicle reads either back."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["markdown", "json"], default="markdown")

    def handle(self, *args, slug, format, **options):
        article = Article.objects.filter(slug=slug).first()
        if article is None:
            raise CommandError(f"No list with the address “{slug}”.")
        self.stdout.write(article_export(article, format=format), ending="")
