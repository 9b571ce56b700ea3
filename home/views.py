from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from home import selectors


@login_required
def home(request):
    return render(request, "home/home.html", selectors.home_for(request.user))
