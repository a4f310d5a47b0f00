from django.urls import path

from . import feeds

app_name = "feeds"

urlpatterns = [
    # Pages for people, each explaining its feed.
    path("lists/", feeds.FollowView.as_view(), name="latest"),
    path("hashtags/<str:slug>/", feeds.FollowHashtagView.as_view(), name="hashtag"),
    path("moods/<str:slug>/", feeds.FollowMoodView.as_view(), name="mood"),
    # The feeds themselves.
    path("lists/rss/", feeds.LatestListsFeed(), name="latest_rss"),
    path("lists/atom/", feeds.LatestListsAtomFeed(), name="latest_atom"),
    path("hashtags/<str:slug>/rss/", feeds.HashtagFeed(), name="hashtag_rss"),
    path("hashtags/<str:slug>/atom/", feeds.HashtagAtomFeed(), name="hashtag_atom"),
    path("moods/<str:slug>/rss/", feeds.MoodFeed(), name="mood_rss"),
    path("moods/<str:slug>/atom/", feeds.MoodAtomFeed(), name="mood_atom"),
]
