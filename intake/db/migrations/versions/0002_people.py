"""The people's half: case decisions, field corrections, audit samples and reviews.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases') as b:
        b.add_column(sa.Column('machine_verification', sa.JSON(), nullable=True))
        b.add_column(sa.Column('submitted_at', sa.DateTime(), nullable=True))
        b.add_column(sa.Column('decision', sa.String(length=16), nullable=True))
        b.add_column(sa.Column('decision_reason', sa.Text(), nullable=True))
        b.add_column(sa.Column('override_reason', sa.Text(), nullable=True))
        b.add_column(sa.Column('decided_by', sa.String(length=64), nullable=True))
        b.add_column(sa.Column('decided_at', sa.DateTime(), nullable=True))
        b.create_index('ix_cases_decided_by', ['decided_by'])
        b.create_index('ix_cases_decided_at', ['decided_at'])
    op.create_table('field_corrections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('part', sa.Integer(), nullable=False),
        sa.Column('field', sa.String(length=64), nullable=False),
        sa.Column('machine_value', sa.JSON(), nullable=True),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('corrected_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id']),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('document_id', 'part', 'field', name='uq_field_corrections_field'),
    )
    op.create_index('ix_field_corrections_case_id', 'field_corrections', ['case_id'])
    op.create_table('audit_samples',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('case_ids', sa.JSON(), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table('audit_reviews',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sample_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('verdict', sa.String(length=16), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('clerk_decision', sa.String(length=16), nullable=True),
        sa.Column('reviewed_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id']),
        sa.ForeignKeyConstraint(['sample_id'], ['audit_samples.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('sample_id', 'case_id', name='uq_audit_reviews_case'),
    )
    op.create_index('ix_audit_reviews_sample_id', 'audit_reviews', ['sample_id'])
    op.create_index('ix_audit_reviews_case_id', 'audit_reviews', ['case_id'])


def downgrade() -> None:
    op.drop_table('audit_reviews')
    op.drop_table('audit_samples')
    op.drop_table('field_corrections')
    with op.batch_alter_table('cases') as b:
        b.drop_index('ix_cases_decided_at')
        b.drop_index('ix_cases_decided_by')
        for c in ('decided_at', 'decided_by', 'override_reason', 'decision_reason', 'decision', 'submitted_at',
                  'machine_verification'):
            b.drop_column(c)
