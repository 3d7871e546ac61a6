"""``credit-cases letter certificates``: the organs' signing keys (PKCS#12).

    credit-cases letter certificates demo          # demo root CA + one key per department, under var/
    credit-cases letter certificates show
    credit-cases letter certificates set QZ-SCJG /etc/credit-cases/keys/QZ-SCJG.p12
"""
from __future__ import annotations

import click

from workflows.administration.certificates import demo_keys, organ_certificates, point_at_key

from .context import CommandContext, guard, pass_context


@click.group("certificates")
def certificates() -> None:
    """各发文机关的签名证书（PKCS#12）。"""


@certificates.command("demo")
@pass_context
def make_demo(context: CommandContext) -> None:
    """创建演示根证书，并为尚无证书的部门各签发一张演示证书（仅供演示与测试）。"""
    made = make_demo_keys(context)
    for code, path in made.items():
        click.echo(f"{code}\t{path}")
    click.echo(f"{len(made)} 张演示证书；根证书：{context.runtime.settings.data_dir / 'certificates' / 'root-ca.pem'}",
               err=True)


def make_demo_keys(context: CommandContext):
    """Demo keys in real time (not the command clock): pyHanko signs and validates at the machine's time."""
    runtime = context.runtime
    return guard(lambda: demo_keys(runtime.store, context.operator, runtime.settings.data_dir, runtime.clock.now()))


@certificates.command("show")
@pass_context
def show(context: CommandContext) -> None:
    """列出各部门的签名证书（主体、签发者、有效期）。"""
    for code, found in organ_certificates(context.runtime.store):
        if found is None or isinstance(found, str):
            click.echo(f"{code}\t{found or '未配置（文书不签名）'}")
        else:
            click.echo(f"{code}\t{found.subject}\t{found.issuer}\t"
                       f"{found.not_before:%Y-%m-%d}—{found.not_after:%Y-%m-%d}")


@certificates.command("set")
@click.argument("code")
@click.argument("path", default="")
@pass_context
def set_key(context: CommandContext, code: str, path: str) -> None:
    """让部门 CODE 用 PATH 处的 PKCS#12 文件签名（口令：CREDIT_CASES_CERT_PASSPHRASE_<CODE> 或同目录 passphrases.json）；PATH 为空则停止签名。"""
    found = guard(lambda: point_at_key(context.runtime.store, context.operator, code, path, context.now()))
    click.echo(f"{code.upper()}：{found.subject}（至 {found.not_after:%Y-%m-%d}）" if found else f"{code.upper()}：不再签名")
