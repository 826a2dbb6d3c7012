"""
A person's role keeps the same stored values; its choices are now read from the role
registry (accounts.roles), where each domain adds the role that sends its return. No
change to the table (sqlmigrate: no-op).
"""

import opb_portal.accounts.roles
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_api_keys_hashed'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='role',
            field=models.CharField(blank=True, choices=opb_portal.accounts.roles.choices, max_length=30),
        ),
    ]
