from django.urls import path

from . import edit_views, my_comments_views, reaction_words, views

app_name = "comments"

urlpatterns = [
    path("posalji/", views.post_comment, name="post"),
    path("reakcije.css", reaction_words.reaction_words, name="reaction_words"),
    path("<id:pk>/", views.permalink, name="permalink"),
    path("lista/", views.comment_list_button, name="list_button"),
    path("<id:pk>/reakcija/", views.react, name="react"),
    path("<id:pk>/prijava/", views.report, name="report"),
    path("<id:pk>/izmena/", edit_views.edit, name="edit"),
    path("clanak/<id:article_pk>/", views.more_threads, name="more"),
    path("clanak/<id:article_pk>/moje-reakcije/", views.my_reactions, name="my_reactions"),
    path("citalac/", views.reader_identity, name="reader"),
    path("potvrda/<str:token>/", views.verify_email, name="verify"),
    path("odjava/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("moji/", my_comments_views.ask_for_link, name="my_comments_request"),
    path("moji/<str:token>/", my_comments_views.comment_list, name="my_comments"),
    path("moji/<str:token>/obrisi/", my_comments_views.delete, name="my_comments_delete"),
]
