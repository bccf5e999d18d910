/** Discord's documented limits, checked on a message body as it went over the wire. */
export function limitProblems(body: Record<string, unknown>): string[] {
  const out: string[] = [];
  const content = body.content;
  if (typeof content === 'string' && content.length > 2000) out.push(`content ${content.length} > 2000`);
  const embeds = (body.embeds as Record<string, unknown>[] | undefined) ?? [];
  if (embeds.length > 10) out.push(`${embeds.length} embeds > 10`);
  let total = 0;
  for (const e of embeds) {
    const title = (e.title as string | undefined) ?? '';
    const description = (e.description as string | undefined) ?? '';
    const footer = (e.footer as { text?: string } | undefined)?.text ?? '';
    const fields = (e.fields as { name: string; value: string }[] | undefined) ?? [];
    if (title.length > 256) out.push(`title ${title.length} > 256`);
    if (description.length > 4096) out.push(`description ${description.length} > 4096`);
    if (footer.length > 2048) out.push(`footer ${footer.length} > 2048`);
    if (fields.length > 25) out.push(`${fields.length} fields > 25`);
    for (const f of fields) {
      if (f.name.length > 256) out.push(`field name ${f.name.length} > 256`);
      if (f.value.length > 1024) out.push(`field value ${f.value.length} > 1024`);
      if (!f.name.length || !f.value.length) out.push('empty field');
      total += f.name.length + f.value.length;
    }
    total += title.length + description.length + footer.length;
  }
  if (total > 6000) out.push(`embeds total ${total} > 6000`);
  const rows =
    (body.components as { components?: { label?: string; custom_id?: string }[] }[] | undefined) ?? [];
  if (rows.length > 5) out.push(`${rows.length} action rows > 5`);
  for (const r of rows) {
    if ((r.components ?? []).length > 5) out.push(`${(r.components ?? []).length} buttons in a row > 5`);
    for (const b of r.components ?? []) {
      if ((b.label ?? '').length > 80) out.push(`button label ${(b.label ?? '').length} > 80`);
      if ((b.custom_id ?? '').length > 100) out.push(`custom_id ${(b.custom_id ?? '').length} > 100`);
    }
  }
  return out;
}
