import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_social_channels"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                django.db.models.functions.comparison.Coalesce("published_at", "created_at"), name="article_time"
            ),
        ),
    ]
