/*
 * Titles and containers (issue 15, classes 11 and 14): where each title
 * group of an entry goes in the record (subtitles and addons beside their
 * title, a volume of a multi-volume work, a whole work whose booktitle
 * repeats its title), what BibLaTeX writes back (the same fields) and what
 * classic BibTeX writes (titles joined, a volume's work as series).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_test.h"

/* One field of the record read: the value, or NULL for "unset". */
typedef struct want {
	enum cw_field field;
	const char *value;
} want;

typedef struct title_case {
	const char *name;
	const char *in;          /* one BibTeX entry */
	want fields[8];          /* in the record read */
	const char *kept;        /* a field kept as it is (passthrough), or NULL */
	const char *biblatex[6]; /* lines the BibLaTeX output holds */
	const char *bibtex[4];   /* lines the classic BibTeX output holds */
} title_case;

static const title_case cases[] = {
    {"subtitle and addon beside the title",
     "@book{b, title = {Title}, subtitle = {Sub}, titleaddon = {Addon}, author = {A, B}, "
     "publisher = {P}, year = 2000}",
     {{CW_FIELD_TITLE, "Title"}, {CW_FIELD_SUBTITLE, "Sub"}, {CW_FIELD_TITLE_ADDON, "Addon"}},
     NULL,
     {"  title = {Title},", "  subtitle = {Sub},", "  titleaddon = {Addon},"},
     {"  title = {Title: Sub. Addon},"}},
    {"the book's subtitle beside the booktitle",
     "@incollection{c, title = {Chapter}, booktitle = {Book}, booksubtitle = {Book Sub}, "
     "booktitleaddon = {Book Addon}, author = {A, B}, publisher = {P}, year = 2000}",
     {{CW_FIELD_CONTAINER_TITLE, "Book"},
      {CW_FIELD_CONTAINER_SUBTITLE, "Book Sub"},
      {CW_FIELD_CONTAINER_TITLE_ADDON, "Book Addon"}},
     NULL,
     {"  booktitle = {Book},", "  booksubtitle = {Book Sub},", "  booktitleaddon = {Book Addon},"},
     {"  booktitle = {Book: Book Sub. Book Addon},"}},
    {"the journal's subtitle",
     "@article{a, title = {T}, journaltitle = {J}, journalsubtitle = {JS}, author = {A, B}, "
     "date = 2000}",
     {{CW_FIELD_CONTAINER_TITLE, "J"}, {CW_FIELD_CONTAINER_SUBTITLE, "JS"}},
     NULL,
     {"  journaltitle = {J},", "  journalsubtitle = {JS},"},
     {"  journal = {J: JS},"}},
    {"a title ending in a question mark",
     "@misc{m, title = {Why?}, subtitle = {Because}, author = {A, B}}",
     {{CW_FIELD_TITLE, "Why?"}, {CW_FIELD_SUBTITLE, "Because"}},
     NULL,
     {"  subtitle = {Because},"},
     {"  title = {Why? Because},"}},
    {"a subtitle whose title is elsewhere stays with its group",
     "@inbook{c, title = {Chapter}, booktitle = {Book}, mainsubtitle = {Main Sub}, "
     "author = {A, B}, publisher = {P}, year = 2000}",
     {{CW_FIELD_CONTAINER_TITLE, "Book"}, {CW_FIELD_CONTAINER_SUBTITLE, NULL}},
     "mainsubtitle",
     {"  mainsubtitle = {Main Sub}"},
     {"  booktitle = {Book},"}},
    {"a volume of a multi-volume work",
     "@book{v, maintitle = {Collected Works}, mainsubtitle = {Critical Edition}, "
     "title = {Early Essays}, subtitle = {1870-1873}, volume = 1, author = {A, B}, "
     "publisher = {P}, year = 1988}",
     {{CW_FIELD_TITLE, "Collected Works"},
      {CW_FIELD_SUBTITLE, "Critical Edition"},
      {CW_FIELD_VOLUME_TITLE, "Early Essays"},
      {CW_FIELD_VOLUME_SUBTITLE, "1870-1873"},
      {CW_FIELD_CONTAINER_TITLE, NULL}},
     NULL,
     {"  maintitle = {Collected Works},", "  mainsubtitle = {Critical Edition},",
      "  title = {Early Essays},", "  subtitle = {1870-1873},"},
     {"  title = {Early Essays: 1870-1873},", "  series = {Collected Works: Critical Edition},",
      "  volume = {1},"}},
    {"a volume of a work in a series: the work's title leads the title",
     "@book{v, maintitle = {Collected Works}, title = {Early Essays}, series = {Classics}, "
     "volume = 1, author = {A, B}, publisher = {P}, year = 1988}",
     {{CW_FIELD_TITLE, "Collected Works"}, {CW_FIELD_VOLUME_TITLE, "Early Essays"}},
     NULL,
     {"  maintitle = {Collected Works},", "  title = {Early Essays},"},
     {"  title = {Collected Works. Early Essays},", "  series = {Classics},"}},
    {"a chapter of a volume: the work (maintitle) is the container, the volume its volume-title",
     "@inbook{c, title = {Essay}, booktitle = {Early Essays}, maintitle = {Collected Works}, "
     "volume = 1, author = {A, B}, publisher = {P}, year = 1988, pages = {1--9}}",
     {{CW_FIELD_CONTAINER_TITLE, "Collected Works"},
      {CW_FIELD_VOLUME_TITLE, "Early Essays"},
      {CW_FIELD_TITLE, "Essay"}},
     NULL,
     {"  booktitle = {Early Essays},", "  maintitle = {Collected Works}"},
     {"  booktitle = {Early Essays},"}},
    {"a chapter of a multi-volume work without booktitle",
     "@inbook{c, title = {Essay}, maintitle = {Collected Works}, mainsubtitle = {Sub}, "
     "volume = 1, author = {A, B}, publisher = {P}, year = 1988, pages = {1--9}}",
     {{CW_FIELD_CONTAINER_TITLE, "Collected Works"}, {CW_FIELD_CONTAINER_SUBTITLE, "Sub"}},
     ".sourcefields",
     {"  maintitle = {Collected Works},", "  mainsubtitle = {Sub},"},
     {"  booktitle = {Collected Works: Sub},"}},
    {"proceedings whose booktitle repeats the title",
     "@proceedings{p, title = {Proc. of X}, booktitle = {Proc. of X}, editor = {Miller, J}, "
     "year = 1986}",
     {{CW_FIELD_TITLE, "Proc. of X"}, {CW_FIELD_CONTAINER_TITLE, NULL}},
     "booktitle",
     {"  booktitle = {Proc. of X}"},
     {"  title = {Proc. of X},"}},
    {"a collection whose booktitle repeats title and subtitle",
     "@collection{w, title = {Space and Beyond}, subtitle = {The Frontier Theme}, "
     "booktitle = {Space and {Beyond}}, booksubtitle = {The Frontier theme}, "
     "editor = {W, G}, year = 2000}",
     {{CW_FIELD_CONTAINER_TITLE, NULL}, {CW_FIELD_CONTAINER_SUBTITLE, NULL}},
     "booksubtitle",
     {"  booktitle = {Space and {Beyond}},", "  booksubtitle = {The Frontier theme}"},
     {"  title = {Space and Beyond: The Frontier Theme},"}},
    {"a book whose booktitle joined repeats its title: 'T: S' and title T subtitle S",
     "@book{w, title = {Space}, subtitle = {Beyond}, booktitle = {Space: Beyond}, "
     "author = {A, B}, publisher = {P}, year = 2000}",
     {{CW_FIELD_CONTAINER_TITLE, NULL}},
     "booktitle",
     {"  booktitle = {Space: Beyond}"},
     {"  title = {Space: Beyond},"}},
    {"a book with another booktitle keeps it as its container",
     "@book{w, title = {Chapter Seven}, booktitle = {The Book}, author = {A, B}, "
     "publisher = {P}, year = 2000}",
     {{CW_FIELD_CONTAINER_TITLE, "The Book"}},
     NULL,
     {"  booktitle = {The Book},"},
     {"  booktitle = {The Book},"}},
};

static int holds_line(const char *out, const char *line)
{
	/* the line with or without its final comma (the last field has none) */
	size_t n = strlen(line);
	if (n && line[n - 1] == ',')
		n--;
	for (const char *p = strstr(out, "\n"); p; p = strstr(p + 1, "\n"))
		if (strncmp(p + 1, line, n) == 0 && (p[1 + n] == ',' || p[1 + n] == '\n'))
			return 1;
	return 0;
}

static char *write_as(const char *writer, cw_record *const *recs, size_t n)
{
	cwt_diags d = {0};
	char *out = cwt_write_records(writer, recs, n, &d, NULL);
	cr_assert(out, "%s", cw_buf_str(&d.text));
	cwt_diags_free(&d);
	return out;
}

Test(bibtex_titles, groups_and_containers)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const title_case *c = &cases[i];
		cw_record **recs = NULL;
		cwt_diags d = {0};
		size_t n = cwt_read_records("bibtex", c->in, strlen(c->in), &recs, &d, NULL);
		cr_assert_eq(n, 1, "%s: %s", c->name, cw_buf_str(&d.text));
		for (size_t k = 0; k < 8 && c->fields[k].field; k++) {
			const char *v = cw_record_text(recs[0], c->fields[k].field);
			if (c->fields[k].value)
				cr_expect(v && strcmp(v, c->fields[k].value) == 0,
				          "%s: %s is '%s', expected '%s'", c->name,
				          cw_field_name(c->fields[k].field), v ? v : "(unset)",
				          c->fields[k].value);
			else
				cr_expect(!v, "%s: %s is '%s', expected unset", c->name,
				          cw_field_name(c->fields[k].field), v);
		}
		if (c->kept)
			cr_expect(cw_record_find_passthrough(recs[0], "bibtex", c->kept),
			          "%s: %s not kept", c->name, c->kept);
		char *bl = write_as("biblatex", recs, n);
		for (size_t k = 0; k < 6 && c->biblatex[k]; k++)
			cr_expect(holds_line(bl, c->biblatex[k]), "%s: biblatex lacks '%s':\n%s",
			          c->name, c->biblatex[k], bl);
		char *bt = write_as("bibtex", recs, n);
		for (size_t k = 0; k < 4 && c->bibtex[k]; k++)
			cr_expect(holds_line(bt, c->bibtex[k]), "%s: bibtex lacks '%s':\n%s",
			          c->name, c->bibtex[k], bt);
		/* BibLaTeX -> record -> BibLaTeX -> record gives the same record */
		cw_record **back = NULL;
		cwt_diags d2 = {0};
		size_t nb = cwt_read_records("bibtex", bl, strlen(bl), &back, &d2, NULL);
		cr_assert_eq(nb, 1, "%s", c->name);
		cw_buf diff = CW_BUF_INIT;
		cr_expect_eq(cw_record_compare(recs[0], back[0], &diff), 0, "%s: %s\n%s", c->name,
		             cw_buf_str(&diff), bl);
		cw_buf_free(&diff);
		cwt_free_records(back, nb);
		cwt_diags_free(&d2);
		free(bl);
		free(bt);
		cwt_free_records(recs, n);
		cwt_diags_free(&d);
	}
}

/* CSL-JSON has volume-title, container-title and the title parts in custom */
Test(bibtex_titles, records_from_csl_json)
{
	const char *in =
	    "[{\"id\": \"b\", \"type\": \"book\", \"title\": \"Collected Works\", \"volume\": "
	    "\"2\","
	    " \"volume-title\": \"Late Essays\", \"author\": [{\"family\": \"A\", \"given\": "
	    "\"B\"}],"
	    " \"publisher\": \"P\", \"issued\": {\"date-parts\": [[1990]]}},"
	    " {\"id\": \"c\", \"type\": \"chapter\", \"title\": \"Essay\", \"container-title\":"
	    " \"Collected Works\", \"volume-title\": \"Late Essays\", \"volume\": \"2\","
	    " \"author\": [{\"family\": \"A\", \"given\": \"B\"}], \"publisher\": \"P\","
	    " \"page\": \"3-9\", \"issued\": {\"date-parts\": [[1990]]}}]";
	cwt_result r = {0};
	cwt_convert(&r, "csljson", "biblatex", in, strlen(in), NULL, NULL, NULL);
	cr_assert_eq(r.status, CW_OK, "%s", cw_buf_str(&r.diags.text));
	/* a volume of a work: title and maintitle; a chapter of it: booktitle and maintitle */
	cr_expect(strstr(r.output,
	                 "@book{b,\n  author = {A, B},\n  maintitle = {Collected Works},\n"
	                 "  title = {Late Essays},"),
	          "%s", r.output);
	cr_expect(
	    strstr(r.output, "  booktitle = {Late Essays},\n  maintitle = {Collected Works},"),
	    "%s", r.output);
	cwt_result_free(&r);
	cwt_convert(&r, "csljson", "bibtex", in, strlen(in), NULL, NULL, NULL);
	cr_assert_eq(r.status, CW_OK, "%s", cw_buf_str(&r.diags.text));
	cr_expect(strstr(r.output, "  title = {Late Essays},"), "%s", r.output);
	cr_expect(strstr(r.output, "  series = {Collected Works},"), "%s", r.output);
	cr_expect(strstr(r.output, "  booktitle = {Late Essays},"), "%s", r.output);
	/* the change of structure is reported */
	cr_expect(strstr(cw_buf_str(&r.diags.text), "multi-volume"), "%s",
	          cw_buf_str(&r.diags.text));
	cwt_result_free(&r);
}

/* The corpus: no record's container repeats its title; subtitles stay in the record. */
Test(bibtex_titles_corpus, containers_and_subtitles)
{
	char dir[1024];
	CWT_CORPUS("bibtex", dir);
	size_t n = 0;
	char **files = cwt_list_files(dir, ".bib", &n);
	size_t records = 0, subtitled = 0;
	cw_buf bad = CW_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		size_t len = 0;
		char *data = cwt_read_file(files[i], &len);
		cw_record **recs = NULL;
		cwt_diags d = {0};
		size_t nr = cwt_read_records("bibtex", data, len, &recs, &d, NULL);
		for (size_t k = 0; k < nr; k++) {
			cw_buf t = CW_BUF_INIT, c = CW_BUF_INIT;
			cw_record_joined_title(recs[k], CW_FIELD_TITLE, &t);
			cw_record_joined_title(recs[k], CW_FIELD_CONTAINER_TITLE, &c);
			if (t.len && c.len && strcmp(cw_buf_str(&t), cw_buf_str(&c)) == 0 &&
			    cw_record_type(recs[k]) == CW_TYPE_BOOK)
				cw_buf_printf(&bad, "%s [%s]: container-title repeats the title\n",
				              files[i], cw_record_text(recs[k], CW_FIELD_ID));
			/* a subtitle-like field of the entry, kept only as the field, is lost to
			 * every other format: only a part's maintitle group may be */
			static const char *const parts[][3] = {
			    {"subtitle", "title", "title"},
			    {"titleaddon", "title", "title"},
			    {"booksubtitle", "booktitle", "booktitle"},
			    {"booktitleaddon", "booktitle", "booktitle"},
			    {"journalsubtitle", "journaltitle", "journal"},
			    {"journaltitleaddon", "journaltitle", "journal"}};
			for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++)
				if (cw_record_find_passthrough(recs[k], "bibtex", parts[p][0]) &&
				    !cw_record_find_passthrough(recs[k], "bibtex", parts[p][1]) &&
				    !cw_record_find_passthrough(recs[k], "bibtex", parts[p][2]))
					cw_buf_printf(
					    &bad, "%s [%s]: %s kept only as the field\n", files[i],
					    cw_record_text(recs[k], CW_FIELD_ID), parts[p][0]);
			subtitled += cw_record_has(recs[k], CW_FIELD_SUBTITLE) ||
			             cw_record_has(recs[k], CW_FIELD_CONTAINER_SUBTITLE) ||
			             cw_record_has(recs[k], CW_FIELD_VOLUME_TITLE);
			cw_buf_free(&t);
			cw_buf_free(&c);
		}
		records += nr;
		cwt_free_records(recs, nr);
		cwt_diags_free(&d);
		free(data);
	}
	cwt_free_list(files, n);
	cr_log_info("%zu records, %zu with a subtitle, container subtitle or volume title", records,
	            subtitled);
	cr_expect_gt(subtitled, 50);
	cr_expect_eq(bad.len, 0, "%s", cw_buf_str(&bad));
	cw_buf_free(&bad);
}
