/*
 * The seed article through each flat format and back: what the issue for
 * each format promises survives (title, both authors, date, volume, issue,
 * pages, URL, section, abstract).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

static cw_record *read_one(const char *format, const char *text, size_t len)
{
	cw_record **recs;
	cwt_diags d = {0};
	size_t n = cwt_read_records(format, text, len, &recs, &d, NULL);
	cr_assert_eq(n, 1, "%s: %zu records: %s", format, n, cw_buf_str(&d.text));
	cr_assert_eq(cwt_diags_count(&d, CW_SEV_ERROR), 0, "%s", cw_buf_str(&d.text));
	cw_record *r = recs[0];
	free(recs);
	cwt_diags_free(&d);
	return r;
}

static cw_record *seed(void)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/examples/article.xml", cwt_source_dir());
	size_t len;
	char *xml = cwt_read_file(path, &len);
	cr_assert(xml, "cannot read %s", path);
	cw_record *r = read_one("jats", xml, len);
	free(xml);
	return r;
}

/* Compares the text without rich-text markup: BibTeX, for one, protects
 * capitals with braces, which come back as no-case spans. */
static void expect_text(const cw_record *r, enum cw_field f, const char *want, const char *via)
{
	const char *got = cw_record_text(r, f);
	cw_buf plain = CW_BUF_INIT;
	cw_rich_to_plain(&plain, got ? got : "");
	cr_expect(got && strcmp(cw_buf_str(&plain), want) == 0, "via %s: %s is \"%s\", expected \"%s\"",
	          via, cw_field_name(f), got ? cw_buf_str(&plain) : "(unset)", want);
	cw_buf_free(&plain);
}

static void check_kept(const cw_record *r, const char *via, int section)
{
	expect_text(r, CW_FIELD_TITLE,
	            "KAZAKHSTAN AND RUSSIA: RELATIONS AS PART OF RUSSIA\xE2\x80\x99S FOREIGN POLICY STRATEGY",
	            via);
	cr_assert_eq(cw_record_name_count(r, CW_FIELD_AUTHOR), 2, "via %s", via);
	cr_expect_str_eq(cw_record_name(r, CW_FIELD_AUTHOR, 0)->family, "LAUMULIN", "via %s", via);
	cr_expect_str_eq(cw_record_name(r, CW_FIELD_AUTHOR, 0)->given, "Murat", "via %s", via);
	cr_expect_str_eq(cw_record_name(r, CW_FIELD_AUTHOR, 1)->family, "SHAKEN", "via %s", via);
	cr_expect_str_eq(cw_record_name(r, CW_FIELD_AUTHOR, 1)->given, "Mukhtar", "via %s", via);
	const cw_date *d = cw_record_date(r, CW_FIELD_ISSUED);
	cr_assert(d, "via %s: no issued date", via);
	cr_expect(d->parts == 3 && d->year == 2008 && d->month == 2 && d->day == 29,
	          "via %s: issued %d-%d-%d (%d parts)", via, d->year, d->month, d->day, d->parts);
	expect_text(r, CW_FIELD_CONTAINER_TITLE, "CENTRAL ASIA AND THE CAUCASUS", via);
	expect_text(r, CW_FIELD_VOLUME, "9", via);
	expect_text(r, CW_FIELD_ISSUE, "1", via);
	expect_text(r, CW_FIELD_PAGE, "112-124", via);
	expect_text(r, CW_FIELD_URL, "https://ca-c.org/CAC/index.php/cac/article/view/1169", via);
	if (section)
		expect_text(r, CW_FIELD_SECTION, "REGIONAL POLITICS", via);
	const char *abs = cw_record_text(r, CW_FIELD_ABSTRACT);
	cr_expect(abs && strncmp(abs, "In 2006 and 2007, the geopolitical situation", 44) == 0 &&
	              strstr(abs, "the political elites and the public at large."),
	          "via %s: abstract \"%.80s\"", via, abs ? abs : "(unset)");
}

static void through(const char *format, int section)
{
	cw_record *r = seed();
	check_kept(r, "jats", 1);
	char *text = cwt_write_records(format, &r, 1, NULL, NULL);
	cr_assert(text, "writing %s failed", format);
	cw_record *back = read_one(format, text, strlen(text));
	check_kept(back, format, section);
	free(text);
	cw_record_free(back);
	cw_record_free(r);
}

Test(seed, through_oai_dc) { through("dc", 1); }
Test(seed, through_dcterms) { through("dcterms", 1); }
Test(seed, through_html_meta) { through("html-meta", 1); }
Test(seed, through_csljson) { through("csljson", 1); }
/* BibTeX has no field for a journal section: it is reported as not carried */
Test(seed, through_bibtex) { through("bibtex", 0); }
Test(seed, through_biblatex) { through("biblatex", 0); }
