from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Reader comments"

    def ready(self):
        import pagecache

        pagecache.track(self.get_model("Comment"), keys=comment_keys)


def comment_keys(comment, change):
    """A list's thread and the count on its cards (`comments:<list id>`); a comment held on arrival shows nowhere."""
    if change.created and not comment.is_public:
        return []
    return [f"comments:{comment.article_id}"]
