from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_catalogue')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Assessment',
            index=Index(fields=['academic_year', 'learner_id', 'framework_id', 'area_id']),
        ),
    ]
