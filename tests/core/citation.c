/*
 * The reference-string parser (cw_citation_parse): one invented reference
 * per style and variant, each field it should find; the mark it leaves; the
 * field it reads (cw_citation_source); the table and its overrides.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crosswalk/crosswalk.h"
#include "cw_test.h"
#include "cwt_cases.h"

/* A session to parse in: a csljson writer's, on a context with d as its sink. */
typedef struct env {
	cwt_diags d;
	cw_context *ctx;
	cw_ostream *out;
	cw_writer *w;
} env;

static cw_session *env_open(env *e, const char *override_yaml)
{
	memset(e, 0, sizeof *e);
	e->ctx = cwt_context(&e->d);
	cw_context_set_registry(e->ctx, cwt_registry());
	if (override_yaml)
		cr_assert_eq(cw_context_add_crosswalk(e->ctx, override_yaml, CW_NUL, "mine.yaml"), CW_OK,
		             "%s", cw_buf_str(&e->d.text));
	cr_assert_eq(cw_ostream_open_memory(&e->out, NULL), CW_OK);
	cr_assert_eq(cw_writer_open(&e->w, e->ctx, cw_registry_find_format(cwt_registry(), "csljson"),
	                            e->out, NULL, 0),
	             CW_OK);
	return cw_writer_session(e->w);
}

static void env_close(env *e)
{
	cw_writer_close(e->w);
	cw_ostream_close(e->out);
	cw_context_free(e->ctx);
	cwt_diags_free(&e->d);
}

/* One case: the reference and what it should give ("" or NULL: not checked; "-": unset). */
struct cite_case {
	const char *style, *text;
	const char *families; /* family names (or literals) joined by '|'; "+etal" at the end */
	const char *year, *title, *container, *volume, *issue, *page, *type;
	const char *more; /* further "field=value" pairs, ';'-separated */
};

static const struct cite_case cases[] = {
    {"apa", "Moreau, L. K., & Tanaka, H. (2019). Tidal patterns in shallow estuaries. Journal of "
            "Coastal Dynamics, 41(2), 113–129. https://doi.org/10.5555/jcd.2019.041",
     "Moreau|Tanaka", "2019", "Tidal patterns in shallow estuaries", "Journal of Coastal Dynamics",
     "41", "2", "113–129", "article-journal", "DOI=10.5555/jcd.2019.041"},
    {"apa-book", "Halvorsen, P. (2015). The quiet archive (3rd ed.). Northfield Press.",
     "Halvorsen", "2015", "The quiet archive", "-", "-", "-", "-", "book",
     "edition=3;publisher=Northfield Press"},
    {"apa-chapter",
     "Okafor, B. (2012). Reading maps in the dark. In R. Lindqvist & T. Amaral (Eds.), Atlas of "
     "lost places (pp. 45-67). Harbor Books.",
     "Okafor", "2012", "Reading maps in the dark", "Atlas of lost places", "-", "-", "45-67",
     "chapter", "editor=Lindqvist|Amaral"},
    {"apa-nodate", "Varga, E. (n.d.). Notes on river stones. Stone Quarterly, 3, 1-9.", "Varga",
     "-", "Notes on river stones", "Stone Quarterly", "3", "-", "1-9", "article-journal", NULL},
    {"apa-inpress", "Quispe, R. (in press). Highland grains. Andean Studies.", "Quispe", "-",
     "Highland grains", "Andean Studies", "-", "-", "-", NULL, "status=in press"},
    {"apa-suffix", "Brandt, K. (2008a). Early frost. Alpine Notes, 7, 22-30.", "Brandt", "2008",
     "Early frost", "Alpine Notes", "7", "-", "22-30", NULL, NULL},
    {"apa-original", "Ferraro, G. (1988 [1964]). The glass harbour. Lantern House.", "Ferraro",
     "1988", "The glass harbour", NULL, NULL, NULL, NULL, "book", "original-date=1964"},
    {"vancouver",
     "12. Lindgren AK, van der Berg T, Osei K, et al. Sleep and memory in shift workers. J Occup "
     "Health. 2016;58(4):312-20. doi: 10.5555/joh.58.312",
     "Lindgren|Berg|Osei|+etal", "2016", "Sleep and memory in shift workers", "J Occup Health",
     "58", "4", "312-20", "article-journal", "citation-number=12;DOI=10.5555/joh.58.312"},
    {"vancouver-elocator",
     "Park JH, Ruiz M. Soil microbes after wildfire. BMJ Open. 2020;10:e034567.", "Park|Ruiz",
     "2020", "Soil microbes after wildfire", "BMJ Open", "10", "-", "-", "article-journal",
     "article-number=e034567"},
    {"vancouver-chapter",
     "Nakamura S. Wound care. In: Olsen P, Grant D, editors. Surgical nursing. 2nd ed. Boston: "
     "Meridian; 2011. p. 201-15.",
     "Nakamura", "2011", "Wound care", "Surgical nursing", "-", "-", "201-15", "chapter",
     "editor=Olsen|Grant;publisher=Meridian;publisher-place=Boston;edition=2"},
    {"chicago-nb",
     "Whitfield, Margaret. The Salt Roads of Europe. Chicago: Lakeshore University Press, 2004.",
     "Whitfield", "2004", "The Salt Roads of Europe", "-", "-", "-", "-", "book",
     "publisher=Lakeshore University Press;publisher-place=Chicago"},
    {"chicago-ad",
     "Whitfield, Margaret, and Tomas Ekberg. 2009. \"Salt and Empire.\" Historical Review 88, "
     "no. 3: 401–19.",
     "Whitfield|Ekberg", "2009", "Salt and Empire", "Historical Review", "88", "3", "401–19",
     "article-journal", NULL},
    {"mla",
     "Delacroix, Anne, and Paul Meyer. \"Winter Light in Painting.\" Art Inquiry, vol. 14, no. "
     "2, 2017, pp. 55-71.",
     "Delacroix|Meyer", "2017", "Winter Light in Painting", "Art Inquiry", "14", "2", "55-71",
     "article-journal", NULL},
    {"harvard",
     "Greene, T. and Patel, R. (2014) Urban bees and rooftop gardens. Ecology Letters, 17(5), "
     "pp. 602-610.",
     "Greene|Patel", "2014", "Urban bees and rooftop gardens", "Ecology Letters", "17", "5",
     "602-610", "article-journal", NULL},
    {"ieee",
     "[7] K. Ito, M. Schwarz, and L. Duarte, \"Low-power sensing for bridges,\" IEEE Sens. J., "
     "vol. 19, no. 8, pp. 3012–3020, Apr. 2019.",
     "Ito|Schwarz|Duarte", "2019", "Low-power sensing for bridges", "IEEE Sens. J", "19", "8",
     "3012–3020", "article-journal", "citation-number=7"},
    {"abnt",
     "CARVALHO, Mariana; ALBUQUERQUE, J. P. Memória e cidade: o caso do centro antigo. Revista "
     "de Estudos Urbanos, São Paulo, v. 12, n. 3, p. 45-60, 2018.",
     "CARVALHO|ALBUQUERQUE", "2018", "Memória e cidade: o caso do centro antigo",
     "Revista de Estudos Urbanos", "12", "3", "45-60", "article-journal", NULL},
    {"abnt-book", "FONSECA, R. Histórias do litoral. 2. ed. Recife: Editora Maré, 2007.",
     "FONSECA", "2007", "Histórias do litoral", "-", "-", "-", "-", "book",
     "publisher=Editora Maré;publisher-place=Recife;edition=2"},
    {"abnt-thesis",
     "MOURA, T. Redes de pesca artesanal. 2015. Tese (Doutorado em Ecologia) - Universidade "
     "Federal do Pará, Belém, 2015.",
     "MOURA", "2015", "Redes de pesca artesanal", NULL, NULL, NULL, NULL, "thesis", NULL},
    {"abnt-org",
     "SILVA, P. (org.). Ensaios sobre o sertão. Fortaleza: Casa Leste, 2010.", "", "2010",
     "Ensaios sobre o sertão", "-", "-", "-", "-", "book", "editor=SILVA"},
    {"abnt-access",
     "ROCHA, L. Guia de aves urbanas. Disponível em: http://example.org/aves. Acesso em: 10 "
     "mar. 2021.",
     "ROCHA", "-", "Guia de aves urbanas", "-", NULL, NULL, NULL, "webpage",
     "URL=http://example.org/aves;accessed=2021-03-10"},
    {"es-y", "Ortega, M. y Ruiz, C. (2011). La casa del río. Madrid: Ediciones Sur.",
     "Ortega|Ruiz", "2011", "La casa del río", "-", NULL, NULL, NULL, "book",
     "publisher-place=Madrid"},
    {"es-abnt-nº",
     "LEÓN, A. Bibliotecas rurales. Revista Andina de Información, 2009, vol. 8, nº 2, p. 10-19.",
     "LEÓN", "2009", "Bibliotecas rurales", "Revista Andina de Información", "8", "2", "10-19",
     "article-journal", NULL},
    {"pt-e", "Lima, R. e Souza, F. (2016). Rios do cerrado. Brasília: Editora Planalto.",
     "Lima|Souza", "2016", "Rios do cerrado", "-", NULL, NULL, NULL, "book", NULL},
    {"de-und",
     "Keller, H. und Brandt, S. (2012): „Die Sprache der Wälder“. Zeitschrift für Forstkunde, 33, "
     "S. 12–30.",
     "Keller|Brandt", "2012", "Die Sprache der Wälder", NULL, NULL, NULL, "12–30", NULL, NULL},
    {"de-hrsg", "Vogel, E. (Hrsg.) (2003). Handbuch der Bienen. Berlin: Lindenverlag.", "", "2003",
     "Handbuch der Bienen", "-", NULL, NULL, NULL, "book", "editor=Vogel"},
    {"fr-et",
     "Girard, C. et Lemaire, A. (2010). « Les ponts de Lyon ». Revue d'Histoire Urbaine, 22, "
     "p. 5-19.",
     "Girard|Lemaire", "2010", "Les ponts de Lyon", NULL, NULL, NULL, "5-19", NULL, NULL},
    {"it-e", "Rossi, M. e Bianchi, L. (2005). Le vie del sale. Bologna: Il Mulino.",
     "Rossi|Bianchi", "2005", "Le vie del sale", "-", NULL, NULL, NULL, "book",
     "publisher=Il Mulino"},
    {"report",
     "Ahlberg, S. (2018). Coastal erosion survey (Report No. 42). Marine Institute.", "Ahlberg",
     "2018", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"phd",
     "Novak, J. (2013). Glacial lakes of the Tatra. PhD thesis, Charles University.", "Novak",
     "2013", "Glacial lakes of the Tatra", "-", NULL, NULL, NULL, "thesis", "genre=PhD thesis"},
    {"pmid-isbn",
     "Oduya F. Malaria in the Sahel. Lagos: Baobab; 2001. ISBN 978-0-00-000000-2. PMID: 11223344",
     "Oduya", "2001", "Malaria in the Sahel", NULL, NULL, NULL, NULL, "book",
     "ISBN=978-0-00-000000-2;PMID=11223344"},
    {"abnt-org-caps",
     "INSTITUTO NACIONAL DE PESCA (INP), Divisão de Estatística. Boletim anual da pesca. Belém: "
     "INP, 2004.",
     "INSTITUTO NACIONAL DE PESCA (INP), Divisão de Estatística", "2004", "Boletim anual da pesca",
     NULL, NULL, NULL, NULL, "book", "publisher=INP;publisher-place=Belém"},
    {"abnt-acronyms", "FAO, OMS. Guia de nutrição escolar, 2011.", "FAO|OMS", "2011",
     "Guia de nutrição escolar", NULL, NULL, NULL, NULL, NULL, NULL},
    {"newspaper",
     "RIBEIRO, A. Chuvas fecham estradas no interior. Diário do Vale, Resende, 14 mar. 2019.",
     "RIBEIRO", "2019", "Chuvas fecham estradas no interior", "Diário do Vale", "-", NULL, NULL,
     "article-newspaper", "publisher-place=Resende;issued=2019-03-14"},
    {"vancouver-amp",
     "TORRES JM, SILVA AB & COSTA R 2021. Seabirds of the southern coast. Mar Ornithol 49: "
     "e20210012.",
     "TORRES|SILVA|COSTA", "2021", "Seabirds of the southern coast", NULL, NULL, NULL, NULL, NULL,
     NULL},
    {"es-thesis-paren",
     "IBARRA, L. Redes de lectura en bibliotecas rurales (Tesis doctoral), 2012.", "IBARRA",
     "2012", "Redes de lectura en bibliotecas rurales", NULL, NULL, NULL, NULL, "thesis",
     "genre=Tesis doctoral"},
    {"vancouver-place-year",
     "National guidelines on water safety, Ottawa; 2015.", "", "2015",
     "National guidelines on water safety", NULL, NULL, NULL, NULL, NULL,
     "publisher-place=Ottawa"},
    {"vancouver-suppl",
     "Haddad N. Heat stroke in athletes. Sports Med J. 2018;22 Suppl 1:S40-7.", "Haddad", "2018",
     "Heat stroke in athletes", "Sports Med J", "22", "Suppl 1", "S40-7", "article-journal",
     NULL},
    {"cs-proceedings",
     "R. Holm, T. Varga, and B. Ng. Sparse codes for sensor grids. In Proceedings of the Ninth "
     "Workshop on Embedded Learning, pages 12-19, 2008.",
     "Holm|Varga|Ng", "2008", "Sparse codes for sensor grids",
     "Proceedings of the Ninth Workshop on Embedded Learning", NULL, NULL, "12-19",
     "paper-conference", NULL},
    {"cs-proc-abbrev",
     "[4] K. Sato and L. Berg. Fast joins on flash storage. In Proc. of the 12th Int'l "
     "Symposium on Data Systems, Lisbon, Portugal, May 2011.",
     "Sato|Berg", "2011", "Fast joins on flash storage", NULL, NULL, NULL, NULL,
     "paper-conference", "citation-number=4"},
    /* footnotes of the seed article (examples/article.xml) and their rules */
    {"note-cue-several",
     "See: V. Korgun, \u201cRossia i Afghanistan,\u201d Internationale Politik, No. 3, 2002, pp. "
     "76-85; idem, \u201cRossia-Afghanistan,\u201d Azia i Afrika segodnia, No. 8, 2006, pp. 59-60.",
     "Korgun", "2002", "Rossia i Afghanistan", "Internationale Politik", "-", "3", "76-85",
     "article-journal", NULL},
    {"note-book-tail",
     "See: S. Morozov, Diplomatia V.V. Putina. Vneshniaia politika Rossii. 1999-2004, ID "
     "Izmaylovskiy Publishers,St. Petersburg, 2004, 256 pp; A. Rahr, \u201cKholodny mir,\u201d "
     "Internationale Politik, No. 2, 2004, pp. 5-16.",
     "Morozov", "2004", "Diplomatia V.V. Putina. Vneshniaia politika Rossii. 1999-2004", "-", "-",
     "-", "-", "book",
     "publisher=ID Izmaylovskiy Publishers;publisher-place=St. Petersburg;number-of-pages=256"},
    {"note-quoted-paren-container",
     "Vgl. A. Rahr, \u201cKholodny mir. Putinskaia Rossia i Zapad,\u201d Internationale Politik "
     "(Berlin, Russian language edition), No. 2, 2004, pp. 5-16.",
     "Rahr", "2004", "Kholodny mir. Putinskaia Rossia i Zapad",
     "Internationale Politik (Berlin, Russian language edition)", "-", "2", "5-16",
     "article-journal", NULL},
    {"note-inner-quotes",
     "Cf. N. Khrenkov, \u201cKreml, \u2018Gazprom\u2019 i Sredniaia Azia,\u201d Azia i Afrika "
     "segodnia, No. 6, 2005, pp. 12-18.",
     "Khrenkov", "2005", "Kreml, \u2018Gazprom\u2019 i Sredniaia Azia", "Azia i Afrika segodnia",
     NULL, "6", "12-18", "article-journal", NULL},
    {"note-editor-pages",
     "Strategicheskiy otvet Rossii na vyzovy novogo veka, ed. by L.I. Abalkin, Ekzamen "
     "Publishers, Moscow, 2004, 608 pp.",
     "-", "2004", "Strategicheskiy otvet Rossii na vyzovy novogo veka", "-", "-", "-", "-", "book",
     "editor=Abalkin;publisher=Ekzamen Publishers;publisher-place=Moscow;number-of-pages=608"},
    {"note-place-year-locator",
     "See: K.K. Tokaev, Vneshniaia politika Kazakhstana v usloviakh globalizatsii, Almaty, 2000, "
     "p. 248.",
     "Tokaev", "2000", "Vneshniaia politika Kazakhstana v usloviakh globalizatsii", "-", "-", "-",
     "-", "book", "publisher-place=Almaty;locator=248"},
    {"authors-semicolons-stay",
     "SOUZA, M. A.; LIMA, P. Rios do sul. Porto Alegre: Editora Vale, 2001; 2. ed. 2005.",
     "SOUZA|LIMA", "2001", "Rios do sul", NULL, NULL, NULL, NULL, NULL, NULL},
    /* corpus references (PLOS, SciELO) that came out wrong */
    {"legal-case", "Mathews v. United States. 485 U.S. 58, 66; 1988.", "-", "1988",
     "Mathews v. United States", "U.S.", "485", "-", "58", "legal_case", "locator=66"},
    {"legislation",
     "Alcohol, Drug Abuse, and Mental Health Administration Reorganization Act Pub. L. No. "
     "102-321(July 10, 1992).",
     "-", "1992", "Alcohol, Drug Abuse, and Mental Health Administration Reorganization Act", "-",
     "-", "-", "-", "legislation", "number=Pub. L. No. 102-321;issued=1992-07-10"},
    {"org-year-paren",
     "R Development Core Team (2011) R: A language and environment for statistical computing. R "
     "Foundation for Statistical Computing.",
     "R Development Core Team", "2011", "R: A language and environment for statistical computing",
     "-", "-", "-", "-", "book", "publisher=R Foundation for Statistical Computing"},
    {"org-title-publisher-year",
     "World Health Organization. Parties to the WHO Framework Convention on Tobacco Control: "
     "United Nations; 2016. Available: http://www.who.int/fctc/signatories_parties/en/. Accessed 4 "
     "February 2016.",
     "World Health Organization", "2016",
     "Parties to the WHO Framework Convention on Tobacco Control", "-", "-", "-", "-", NULL,
     "publisher=United Nations"},
    {"vancouver-article-number",
     "Lund KT, Alves R. Chronic pain in rural clinics. Pain Res Manag. 2017;4643830.", "Lund|Alves",
     "2017", "Chronic pain in rural clinics", "Pain Res Manag", "-", "-", "-", "article-journal",
     "article-number=4643830"},
    {"chicago-given-first-middle",
     "Whitfield, Margaret, Tomas Ekberg, and Ana Lopes. 2009. \"Salt and Empire.\" Historical "
     "Review 88, no. 3: 401–19.",
     "Whitfield|Ekberg|Lopes", "2009", "Salt and Empire", "Historical Review", "88", "3", "401–19",
     "article-journal", NULL},
    {"publisher-place-abbrev",
     "Hale, R. (2001). Maps of St. Kilda. Northfield Press, Oxford.", "Hale", "2001",
     "Maps of St. Kilda", "-", "-", "-", "-", "book",
     "publisher=Northfield Press;publisher-place=Oxford"},
    {"previous-authors", "———. 2011. The second salt book. Chicago: Lakeshore Press.", "-",
     "2011", "The second salt book", NULL, NULL, NULL, NULL, "book", "publisher=Lakeshore Press"},
};

static void expect_text(const cw_record *r, enum cw_field f, const char *want, const char *style)
{
	if (!want || !*want)
		return;
	const char *got = cw_record_text(r, f);
	if (strcmp(want, "-") == 0)
		cr_expect_null(got, "%s: %s should be unset, is \"%s\"", style, cw_field_name(f), got);
	else
		cr_expect(got && strcmp(got, want) == 0, "%s: %s: want \"%s\", got \"%s\"", style,
		          cw_field_name(f), want, got ? got : "(unset)");
}

static void expect_families(const cw_record *r, enum cw_field f, const char *want,
                            const char *style)
{
	if (!want || !*want)
		return;
	if (strcmp(want, "-") == 0) {
		cr_expect_eq(cw_record_name_count(r, f), 0, "%s: no %s", style, cw_field_name(f));
		return;
	}
	cw_buf got = CW_BUF_INIT;
	for (size_t i = 0; i < cw_record_name_count(r, f); i++) {
		const cw_name *n = cw_record_name(r, f, i);
		if (i)
			cw_buf_putc(&got, '|');
		const char *part = n->flags & CW_NAME_ETAL ? "+etal" : n->family ? n->family : n->literal;
		cw_buf_append(&got, part ? part : "?", CW_NUL);
	}
	cr_expect_str_eq(cw_buf_str(&got), want, "%s: %s", style, cw_field_name(f));
	cw_buf_free(&got);
}

static void expect_more(const cw_record *r, const char *more, const char *style)
{
	for (const char *p = more; p && *p;) {
		const char *semi = strchr(p, ';'), *eq = strchr(p, '=');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);
		char name[64], value[256];
		snprintf(name, sizeof name, "%.*s", (int)(eq - p), p);
		snprintf(value, sizeof value, "%.*s", (int)(len - (size_t)(eq - p) - 1), eq + 1);
		enum cw_field f = cw_field_from_name(name, CW_NUL);
		cr_assert_neq(f, CW_FIELD_NONE, "%s", name);
		if (cw_field_kind(f) == CW_KIND_NAMES) {
			expect_families(r, f, value, style);
		} else if (cw_field_kind(f) == CW_KIND_DATE) {
			cw_buf b = CW_BUF_INIT;
			const cw_date *d = cw_record_date(r, f);
			if (d)
				cw_date_format_iso(d, &b);
			cr_expect_str_eq(cw_buf_str(&b), value, "%s: %s", style, name);
			cw_buf_free(&b);
		} else {
			expect_text(r, f, value, style);
		}
		p += len + (semi ? 1 : 0);
	}
}

CWT_CASES(citation, styles, cases)

ParameterizedTest(size_t *i, citation, styles)
{
	const struct cite_case *c = &cases[*i];
	env e;
	cw_session *s = env_open(&e, NULL);
	cw_record *r = NULL;
	cr_assert_eq(cw_record_new(&r), CW_OK);
	cr_assert_eq(cw_citation_parse_text(s, r, c->text, CW_NUL, 0), CW_OK);
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_ORIGINAL_CITATION), c->text, "the text is kept");
	expect_families(r, CW_FIELD_AUTHOR, c->families, c->style);
	if (c->year && strcmp(c->year, "-") == 0) {
		cr_expect_null(cw_record_date(r, CW_FIELD_ISSUED), "%s: no year", c->style);
	} else if (c->year) {
		const cw_date *d = cw_record_date(r, CW_FIELD_ISSUED);
		cr_expect(d && d->year == atoi(c->year), "%s: year %s, got %d", c->style, c->year,
		          d ? d->year : 0);
	}
	expect_text(r, CW_FIELD_TITLE, c->title, c->style);
	expect_text(r, CW_FIELD_CONTAINER_TITLE, c->container, c->style);
	expect_text(r, CW_FIELD_VOLUME, c->volume, c->style);
	expect_text(r, CW_FIELD_ISSUE, c->issue, c->style);
	expect_text(r, CW_FIELD_PAGE, c->page, c->style);
	if (c->type)
	{
		const char *tn = cw_item_type_name(cw_record_type(r));
		cr_expect_str_eq(tn ? tn : "(unset)", c->type, "%s: type", c->style);
	}
	expect_more(r, c->more, c->style);
	cw_record_free(r);
	env_close(&e);
}

Test(citation, marks_the_record_and_notes_the_fields)
{
	env e;
	cw_session *s = env_open(&e, NULL);
	cw_record *r = NULL;
	cr_assert_eq(cw_record_new(&r), CW_OK);
	cr_assert_eq(cw_record_set_text(r, CW_FIELD_TITLE, "Kept title", CW_NUL), CW_OK);
	cr_assert_eq(cw_record_set_text(r, CW_FIELD_ORIGINAL_CITATION,
	                                "Berg, A. (2001). Other title. Nordic Review, 5, 1-2.", CW_NUL),
	             CW_OK);
	cr_assert_eq(cw_citation_parse(s, r, CW_FIELD_ORIGINAL_CITATION, 0), CW_OK);
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_TITLE), "Kept title", "never overwritten");
	cr_expect_str_eq(cw_record_text(r, CW_FIELD_CONTAINER_TITLE), "Nordic Review");
	const cw_passthrough *p =
	    cw_record_find_passthrough(r, CW_CITATION_MARK_FORMAT, CW_CITATION_MARK_NAME);
	cr_assert_not_null(p);
	cr_expect(strstr(p->value, "\"container-title\"") && !strstr(p->value, "\"title\""), "%s",
	          p->value);
	size_t notes = 0;
	for (size_t i = 0; i < e.d.n; i++)
		if (e.d.items[i].diag_code == CW_DIAG_CODE_INFERRED) {
			notes++;
			cr_expect_eq(e.d.items[i].severity, CW_SEV_NOTE);
			cr_expect(strstr(e.d.items[i].message, "container-title") != NULL);
		}
	cr_expect_eq(notes, 1);
	cr_expect_str_eq(cw_diag_code_name(CW_DIAG_CODE_INFERRED), "inferred");
	cw_record_free(r);
	env_close(&e);
}

Test(citation, nothing_recognised_keeps_the_text)
{
	env e;
	cw_session *s = env_open(&e, NULL);
	const char *inputs[] = {"", "   ", "!!! ???", "\xff\xfe\x80 (((( [[[[", "1.", "—"};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		cw_record *r = NULL;
		cr_assert_eq(cw_record_new(&r), CW_OK);
		int rc = cw_citation_parse_text(s, r, inputs[i], CW_NUL, CW_CITATION_QUIET);
		cr_expect_eq(rc, CW_OK, "input %zu", i);
		cr_expect_null(cw_record_text(r, CW_FIELD_TITLE), "input %zu", i);
		cw_record_free(r);
	}
	cr_expect_eq(cw_citation_parse(NULL, NULL, CW_FIELD_NOTE, 0), CW_EINVAL);
	env_close(&e);
}

Test(citation, source_field)
{
	cw_record *r = NULL;
	cr_assert_eq(cw_record_new(&r), CW_OK);
	cr_expect_eq(cw_citation_source(r), CW_FIELD_NONE);
	cr_expect_eq(cw_citation_source(NULL), CW_FIELD_NONE);
	cw_record_set_text(r, CW_FIELD_CITATION_KEY, "k1", CW_NUL);
	cw_record_set_type(r, CW_TYPE_BOOK);
	cw_record_set_text(r, CW_FIELD_NOTE, "Doe, J. (2000). A note. Press.", CW_NUL);
	cr_expect_eq(cw_citation_source(r), CW_FIELD_NOTE);
	cw_record_set_text(r, CW_FIELD_PUBLISHER, "Press", CW_NUL);
	cr_expect_eq(cw_citation_source(r), CW_FIELD_NONE, "note is not the only content");
	cw_record_set_text(r, CW_FIELD_ORIGINAL_CITATION, "Doe, J. (2000). A note.", CW_NUL);
	cr_expect_eq(cw_citation_source(r), CW_FIELD_ORIGINAL_CITATION);
	cw_record_set_text(r, CW_FIELD_TITLE, "A note", CW_NUL);
	cr_expect_eq(cw_citation_source(r), CW_FIELD_NONE, "already structured");
	cw_record_free(r);
}

/* A --crosswalk file with "format: citations" adds words; a bad row is a located error. */
Test(citation, table_override)
{
	env e;
	cw_session *s = env_open(&e, "format: citations\nwords:\n  - {word: zusammen, role: and}\n");
	cw_record *r = NULL;
	cr_assert_eq(cw_record_new(&r), CW_OK);
	cr_assert_eq(cw_citation_parse_text(s, r, "Adler, K. zusammen Brun, L. (2001). Title here. Press.",
	                                    CW_NUL, 0),
	             CW_OK);
	expect_families(r, CW_FIELD_AUTHOR, "Adler|Brun", "override");
	cw_record_free(r);
	env_close(&e);

	cwt_diags d = {0};
	cw_context *ctx = cwt_context(&d);
	cw_context_set_registry(ctx, cwt_registry());
	cr_expect_eq(cw_context_add_crosswalk(ctx, "format: citations\nwords:\n  - {word: x, role: nope}\n",
	                                      CW_NUL, "bad.yaml"),
	             CW_EFORMAT);
	cr_expect(strstr(cw_buf_str(&d.text), "bad.yaml:3:") != NULL, "%s", cw_buf_str(&d.text));
	cw_context_free(ctx);
	cwt_diags_free(&d);
}

/* The core's table keeps its own slot: a stage's table stays valid while the parser runs. */
Test(citation, stage_table_survives_a_parse)
{
	env e;
	cw_session *s = env_open(&e, NULL);
	const cw_format *f = cw_registry_find_format(cwt_registry(), "csljson");
	const cw_table *t1 = NULL, *t2 = NULL;
	cr_assert_eq(cw_session_table(s, f->table, &t1), CW_OK);
	cw_record *r = NULL;
	cr_assert_eq(cw_record_new(&r), CW_OK);
	cr_assert_eq(cw_citation_parse_text(s, r, "Doe J. Title. J Test. 2000;1:2.", CW_NUL, 0), CW_OK);
	cr_assert_eq(cw_session_table(s, f->table, &t2), CW_OK);
	cr_expect_eq(t1, t2);
	cr_expect_eq(cw_table_row_count(t1, 0), cw_table_row_count(t2, 0));
	cw_record_free(r);
	env_close(&e);
}

/* Vancouver's "Family INITIALS" in the core's name parser (CW_NAME_PARSE_INITIALS_LAST). */
Test(citation, names_initials_last)
{
	struct {
		const char *in, *family, *given, *particle;
	} v[] = {{"Goldberg DS", "Goldberg", "DS", NULL},
	         {"van der Berg T", "Berg", "T", "van der"},
	         {"Von Korff M", "Von Korff", "M", NULL},
	         {"Ribeiro-Dasilva MC", "Ribeiro-Dasilva", "MC", NULL},
	         {"Goldberg Dani", "Dani", "Goldberg", NULL}};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		cw_name n = CW_NAME_INIT;
		cw_buf store = CW_BUF_INIT;
		cr_assert_eq(cw_name_parse(&n, &store, v[i].in, CW_NUL, CW_NAME_PARSE_INITIALS_LAST, NULL),
		             CW_OK);
		cr_expect_str_eq(n.family, v[i].family, "%s", v[i].in);
		cr_expect_str_eq(n.given, v[i].given, "%s", v[i].in);
		if (v[i].particle)
			cr_expect_str_eq(n.non_dropping_particle, v[i].particle, "%s", v[i].in);
		cw_buf_free(&store);
	}
}
