from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("autor/<slug:slug>/", views.AuthorDetailView.as_view(), name="author"),
    path("tema/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("<slug:section>/<id:pk>-<slug:slug>/", views.article_detail, name="article"),
    path("<slug:section>/<id:pk>/", views.article_detail, name="article_without_slug"),
    path("<slug:slug>/", views.SectionDetailView.as_view(), name="section"),
]
