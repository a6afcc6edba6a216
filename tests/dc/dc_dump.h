/* A readable dump of a record, one field per line, for golden files. */
#ifndef DC_DUMP_H
#define DC_DUMP_H

#include <stdio.h>
#include <string.h>

#include "crosswalk/crosswalk.h"

static void dcd_plain(cw_buf *b, const char *s)
{
	cw_rich_to_plain(b, s);
}

static void dcd_date(cw_buf *b, const cw_date *d)
{
	if (d->parts)
		cw_date_format_iso(d, b);
	if (d->literal)
		cw_buf_printf(b, "%sliteral=%s", d->parts ? " " : "", d->literal);
	if (d->extra_format)
		cw_buf_printf(b, " [%s:%s]", d->extra_format, d->extra ? d->extra : "");
}

static void dcd_name(cw_buf *b, const cw_name *n)
{
	if (n->literal)
		cw_buf_printf(b, "literal=%s", n->literal);
	if (n->family)
		cw_buf_printf(b, "family=%s", n->family);
	if (n->given)
		cw_buf_printf(b, " given=%s", n->given);
	if (n->non_dropping_particle)
		cw_buf_printf(b, " particle=%s", n->non_dropping_particle);
	if (n->suffix)
		cw_buf_printf(b, " suffix=%s", n->suffix);
	if (n->orcid)
		cw_buf_printf(b, " orcid=%s", n->orcid);
	for (size_t i = 0; i < n->affiliation_count; i++)
		cw_buf_printf(b, " aff=%s", n->affiliation_ids[i]);
	if (n->extra_format)
		cw_buf_printf(b, " [%s:%s]", n->extra_format, n->extra ? n->extra : "");
}

static void dcd_item(cw_buf *b, const cw_item *it)
{
	dcd_plain(b, it->value);
	if (it->lang)
		cw_buf_printf(b, " @%s", it->lang);
	if (it->type)
		cw_buf_printf(b, " type=%s", it->type);
	if (it->scheme)
		cw_buf_printf(b, " scheme=%s", it->scheme);
}

static void dcd_record(cw_buf *b, const cw_record *r)
{
	const char *t = cw_item_type_name(cw_record_type(r));
	cw_buf_printf(b, "type: %s\n", t ? t : "(unset)");
	for (enum cw_field f = cw_record_next_field(r, CW_FIELD_NONE); f != CW_FIELD_NONE;
	     f = cw_record_next_field(r, f)) {
		const char *name = cw_field_name(f);
		switch (cw_field_kind(f)) {
		case CW_KIND_TEXT:
		case CW_KIND_RICH:
		case CW_KIND_NUMBER:
			cw_buf_printf(b, "%s: ", name);
			dcd_plain(b, cw_record_text(r, f));
			cw_buf_putc(b, '\n');
			break;
		case CW_KIND_DATE:
			cw_buf_printf(b, "%s: ", name);
			dcd_date(b, cw_record_date(r, f));
			cw_buf_putc(b, '\n');
			break;
		case CW_KIND_NAMES:
			for (size_t i = 0; i < cw_record_name_count(r, f); i++) {
				cw_buf_printf(b, "%s[%zu]: ", name, i);
				dcd_name(b, cw_record_name(r, f, i));
				cw_buf_putc(b, '\n');
			}
			break;
		case CW_KIND_LIST:
		case CW_KIND_RICH_LIST:
			for (size_t i = 0; i < cw_record_item_count(r, f); i++) {
				cw_buf_printf(b, "%s[%zu]: ", name, i);
				dcd_item(b, cw_record_item(r, f, i));
				cw_buf_putc(b, '\n');
			}
			break;
		case CW_KIND_AFFILIATIONS:
			for (size_t i = 0; i < cw_record_affiliation_count(r); i++) {
				const cw_affiliation *a = cw_record_affiliation(r, i);
				cw_buf_printf(b, "%s[%zu]: id=%s text=%s\n", name, i,
				              a->id ? a->id : "", a->text ? a->text : "");
			}
			break;
		case CW_KIND_RECORDS:
			for (size_t i = 0; i < cw_record_child_count(r); i++) {
				cw_buf_printf(b, "%s[%zu]: ", name, i);
				const char *oc = cw_record_text(cw_record_child(r, i),
				                                CW_FIELD_ORIGINAL_CITATION);
				dcd_plain(b, oc ? oc : "(structured)");
				cw_buf_putc(b, '\n');
			}
			break;
		default:
			cw_buf_printf(b, "%s: (kind %d)\n", name, (int)cw_field_kind(f));
			break;
		}
	}
	for (size_t i = 0; i < cw_record_passthrough_count(r); i++) {
		const cw_passthrough *p = cw_record_passthrough(r, i);
		cw_buf_printf(b, "passthrough %s:%s: %s\n", p->format, p->name, p->value);
	}
}

#endif
