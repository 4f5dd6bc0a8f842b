from django.db import migrations


def seed(apps, schema_editor):
    from fupin.policy.services import policy_seed_defaults

    policy_seed_defaults(apps.get_model("policy", "PolicyValue"))


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
