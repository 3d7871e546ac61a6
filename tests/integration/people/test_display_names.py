"""`display_names`: a page's usernames → names in one query; blanks fall back to the username."""
from __future__ import annotations

from sqlalchemy import event, update

from tests.support.web import PASSWORD
from workflows.core.models.people import User
from workflows.people.names import display_names
from workflows.people.users import create_user


def test_names_in_one_query_with_fallbacks_and_system_labels(store, clock):
    with store.write() as uow:
        create_user(uow.session, "zhangsan", PASSWORD, ["reviewer"], clock.now(), display_name="张三")
        create_user(uow.session, "lisi", PASSWORD, ["reviewer"], clock.now())
        uow.session.flush()
        uow.session.execute(update(User).where(User.username == "lisi").values(display_name="  "))
        uow.commit()
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with store.read() as session:
        names = display_names(session, ["zhangsan", "lisi", "zhangsan", None, "", "ghost", "system",
                                        "client:platform", "import"])
    assert names == {"zhangsan": "张三", "lisi": "lisi", "ghost": "ghost", "system": "系统",
                     "client:platform": "对接系统：platform", "import": "批量导入"}
    assert len([s for s in statements if "app_user" in s]) == 1
    statements.clear()
    with store.read() as session:
        assert display_names(session, [None, "client:platform"]) == {"client:platform": "对接系统：platform"}
    assert not [s for s in statements if "app_user" in s]  # nobody to look up: no query
