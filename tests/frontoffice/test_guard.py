from tests.frontoffice.conftest import tenant_scope_violation


def test_tenant_scope_violation__flags_a_case_query_without_authority():
    sql = 'SELECT "engine_case"."id" FROM "engine_case" WHERE "engine_case"."number" = %s'

    assert tenant_scope_violation(sql) == f"unscoped query on engine_case: {sql}"


def test_tenant_scope_violation__accepts_authority_and_primary_key_filters():
    scoped = [
        'SELECT "engine_case"."id" FROM "engine_case" WHERE "engine_case"."authority_id" = %s',
        'UPDATE "engine_case" SET "status" = %s WHERE "engine_case"."id" = %s',
        'SELECT "engine_attachment"."id" FROM "engine_attachment" WHERE "engine_attachment"."case_id" = %s',
        'SELECT "accounts_user"."id" FROM "accounts_user" WHERE "accounts_user"."email" = %s',
    ]

    assert [tenant_scope_violation(sql) for sql in scoped] == [None, None, None, None]


def test_tenant_scope_violation__ignores_authority_id_outside_the_where_clause():
    sql = 'SELECT "engine_case"."authority_id" FROM "engine_case" WHERE "engine_case"."status" = %s'

    assert tenant_scope_violation(sql) is not None
