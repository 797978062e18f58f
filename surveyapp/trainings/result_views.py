from flask import Blueprint

bp = Blueprint("training_results", __name__, url_prefix="/trainings")
