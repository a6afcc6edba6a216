/*
 * The Dublin Core plugin: formats dc (oai_dc and OAI-PMH), dcterms
 * (qualified DC in DSpace's qdc container) and html-meta (landing-page
 * meta tags).
 */
#include <string.h>
#include <strings.h>

#include "dc.h"

/* Finds needle in the probe bytes (they are followed by NUL padding). */
static int has(const cw_probe_input *in, const char *needle)
{
	size_t nl = strlen(needle);
	if (nl > in->size)
		return 0;
	const unsigned char *b = in->buf;
	for (size_t i = 0; i + nl <= in->size; i++)
		if (b[i] == (unsigned char)needle[0] && memcmp(b + i, needle, nl) == 0)
			return 1;
	return 0;
}

static int has_nocase(const cw_probe_input *in, const char *needle)
{
	size_t nl = strlen(needle);
	if (nl > in->size)
		return 0;
	for (size_t i = 0; i + nl <= in->size; i++)
		if (strncasecmp((const char *)in->buf + i, needle, nl) == 0)
			return 1;
	return 0;
}

static int dc_probe(const cw_probe_input *in)
{
	if (has(in, "http://www.openarchives.org/OAI/2.0/oai_dc/"))
		return CW_PROBE_CERTAIN;
	if (has(in, "<OAI-PMH") && has(in, "http://www.openarchives.org/OAI/2.0/")) {
		/* a response; its payload namespace may come after the probe window */
		if (has(in, "metadataPrefix=\"oai_dc\""))
			return CW_PROBE_CERTAIN;
		if (has(in, "metadataPrefix=\"qdc\"") || has(in, "http://dspace.org/qualifieddc/"))
			return CW_PROBE_LIKELY;
		/* another payload (jats, marc21, ...): leave it to that format's reader */
		if (has(in, "metadataPrefix=\""))
			return CW_PROBE_WEAK;
		return CW_PROBE_LIKELY;
	}
	/* DC elements in some other container (an EPUB package, a <metadata> record) */
	if (has(in, "http://purl.org/dc/elements/1.1/") || has(in, "http://purl.org/dc/terms/"))
		return CW_PROBE_EXTENSION + 10;
	return CW_PROBE_NONE;
}

static int dcterms_probe(const cw_probe_input *in)
{
	if (has(in, "http://dspace.org/qualifieddc/"))
		return CW_PROBE_CERTAIN;
	return CW_PROBE_NONE;
}

static int html_probe(const cw_probe_input *in)
{
	int html = has_nocase(in, "<html") || has_nocase(in, "<!doctype html") ||
	           has_nocase(in, "<head") || has_nocase(in, "<meta");
	if (!html)
		return CW_PROBE_NONE;
	if (has_nocase(in, "name=\"citation_") || has_nocase(in, "name='citation_") ||
	    has_nocase(in, "name=\"dc.") || has_nocase(in, "name=\"dcterms.") ||
	    has_nocase(in, "name=citation_"))
		return CW_PROBE_LIKELY;
	return CW_PROBE_NONE;
}

static const cw_option_spec dc_writer_options[] = {
    {"container", CW_OPT_ENUM, "auto", "auto|listrecords",
     "several records (auto) or always (listrecords): an OAI-PMH ListRecords response"},
    {"response-date", CW_OPT_STRING, "1970-01-01T00:00:00Z", NULL,
     "responseDate of the ListRecords container (fixed so output is reproducible)"},
    {"base-url", CW_OPT_STRING, "http://localhost/oai", NULL,
     "base URL named in the ListRecords <request> element"},
    {NULL, 0, NULL, NULL, NULL}};

static const char *const dc_ext[] = {"dc.xml", "oai_dc.xml", "oai-dc.xml", NULL};
static const char *const dc_alias[] = {"oai_dc", "oai-dc", "oai-pmh", NULL};
static const char *const dc_mime[] = {"application/xml", NULL};

static const cw_format dc_format = {
    .struct_size = sizeof(cw_format),
    .name = "dc",
    .description = "Dublin Core, oai_dc XML (single record or OAI-PMH response)",
    .aliases = dc_alias,
    .extensions = dc_ext,
    .mime_types = dc_mime,
    .caps = CW_CAN_READ | CW_CAN_WRITE,
    .probe = dc_probe,
    .reader_options = NULL,
    .writer_options = dc_writer_options,
    .reader = &dc_xml_reader,
    .writer = &dc_oai_writer,
    .table = &dc_table_schema,
};

static const char *const qdc_ext[] = {"dcterms.xml", "qdc.xml", NULL};
static const char *const qdc_alias[] = {"qdc", NULL};

static const cw_format dcterms_format = {
    .struct_size = sizeof(cw_format),
    .name = "dcterms",
    .description = "Qualified Dublin Core (DCMI terms) XML, DSpace qdc container",
    .aliases = qdc_alias,
    .extensions = qdc_ext,
    .mime_types = dc_mime,
    .caps = CW_CAN_READ | CW_CAN_WRITE,
    .probe = dcterms_probe,
    .reader_options = NULL,
    .writer_options = dc_writer_options,
    .reader = &dc_xml_reader,
    .writer = &dc_terms_writer,
    .table = &dc_table_schema,
};

static const char *const html_ext[] = {"html", "htm", NULL};
static const char *const html_mime[] = {"text/html", NULL};
static const char *const html_alias[] = {"highwire", NULL};

static const cw_format html_format = {
    .struct_size = sizeof(cw_format),
    .name = "html-meta",
    .description =
        "Landing-page meta tags: DC.*/DCTERMS.* and Highwire citation_* (Google Scholar)",
    .aliases = html_alias,
    .extensions = html_ext,
    .mime_types = html_mime,
    .caps = CW_CAN_READ | CW_CAN_WRITE,
    .probe = html_probe,
    .reader_options = NULL,
    .writer_options = NULL,
    .reader = &dc_html_reader,
    .writer = &dc_html_writer,
    .table = &dc_table_schema,
};

static const cw_format *const dc_formats[] = {&dc_format, &dcterms_format, &html_format, NULL};

static const cw_plugin dc_plugin = {
    CW_PLUGIN_HEADER,
    .name = "dc",
    .version = "1.0.0",
    .description = "Dublin Core: oai_dc, OAI-PMH, qualified DC and HTML meta tags",
    .license = "MIT",
    .formats = dc_formats,
    .filters = NULL,
};

CW_PLUGIN_DEFINE(dc, dc_plugin)
