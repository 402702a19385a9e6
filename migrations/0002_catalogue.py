"""Install the reference catalogue (ФГОС ДО, school readiness, primary school, psychological)."""

from tortoise import migrations
from tortoise.migrations import operations as ops

from migrations._catalogue import install_catalogue, remove_catalogue


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    operations = [ops.RunPython(install_catalogue, remove_catalogue)]
