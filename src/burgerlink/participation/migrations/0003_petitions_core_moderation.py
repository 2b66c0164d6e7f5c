
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0007_operations'),
        ('participation', '0002_council'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='petition',
            name='petition_desk',
        ),
        # Renamed, not dropped: petitions keep their state and reason under core.moderation's names.
        migrations.RenameField(
            model_name='petition',
            old_name='moderation',
            new_name='moderation_state',
        ),
        migrations.RenameField(
            model_name='petition',
            old_name='rejection_reason',
            new_name='moderation_reason',
        ),
        migrations.AddField(
            model_name='petition',
            name='flag_count',
            field=models.PositiveIntegerField(default=0, help_text='Hoe vaak bezoekers dit als ongepast meldden sinds de laatste beslissing.', verbose_name='meldingen'),
        ),
        migrations.AddField(
            model_name='petition',
            name='flagged_at',
            field=models.DateTimeField(blank=True, help_text='Wanneer het eerst gemeld werd sinds de laatste beslissing.', null=True, verbose_name='eerste melding'),
        ),
        migrations.AddField(
            model_name='petition',
            name='moderated_by',
            field=models.ForeignKey(blank=True, help_text='De medewerker die het laatst over dit bericht besliste.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='gemodereerd door'),
        ),
        migrations.AlterField(
            model_name='petition',
            name='moderation_reason',
            field=models.TextField(blank=True, help_text='Waarom het is afgewezen of verborgen; de schrijver krijgt deze reden te zien.', verbose_name='reden van de moderator'),
        ),
        migrations.AlterField(
            model_name='petition',
            name='moderation_state',
            field=models.CharField(choices=[('pending', 'Wacht op beoordeling'), ('published', 'Gepubliceerd'), ('rejected', 'Afgewezen'), ('hidden', 'Verborgen')], db_index=True, default='pending', help_text='Wacht op beoordeling, gepubliceerd, afgewezen of verborgen.', max_length=12, verbose_name='moderatiestatus'),
        ),
        migrations.AlterField(
            model_name='petition',
            name='moderated_at',
            field=models.DateTimeField(blank=True, help_text='Wanneer de laatste beslissing van een moderator viel.', null=True, verbose_name='gemodereerd op'),
        ),
        migrations.AddIndex(
            model_name='petition',
            index=models.Index(fields=['organisation', 'moderation_state', 'stage'], name='petition_desk'),
        ),
    ]
