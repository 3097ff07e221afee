from django.shortcuts import get_object_or_404, render

from articles.models import Article


def reference(request, pk):
    """The article's comments as django-comments-xtd's documentation renders them, stock templates and all."""
    article = get_object_or_404(Article.objects.published(), pk=pk)
    return render(request, "bench/reference.html", {"article": article})
