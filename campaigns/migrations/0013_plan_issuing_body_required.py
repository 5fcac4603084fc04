import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0012_fill_plan_issuing_body")]

    operations = [
        migrations.AlterField(
            model_name="plan",
            name="issuing_body",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="plans",
                to="orgunits.issuingbody",
                verbose_name="issuing body",
            ),
        ),
    ]
