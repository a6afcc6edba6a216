/*
 * Fuzz target: the citation parser a plugin author calls
 * (cw_citation_parse_text, and cw_citation_parse on the same bytes as a rich
 * original-citation, marker bytes and all). It reads untrusted text: any
 * bytes must give CW_OK with the text kept as it was stored, never a crash
 * or a leak.
 */
#include <stdlib.h>
#include <string.h>

#include "crosswalk/crosswalk.h"
#include "cw_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cw_session *s = cwf_session();
	cw_record *r = NULL;
	if (cw_record_new(&r))
		abort();
	int rc = cw_citation_parse_text(s, r, (const char *)data, size, CW_CITATION_QUIET);
	if (rc != CW_OK && rc != CW_ENOMEM)
		abort();
	/* the text stays as it was stored */
	cw_record *r2 = NULL;
	if (cw_record_new(&r2))
		abort();
	int set = cw_record_set_text(r2, CW_FIELD_ORIGINAL_CITATION, (const char *)data, size);
	const char *kept = cw_record_text(r, CW_FIELD_ORIGINAL_CITATION);
	const char *want = cw_record_text(r2, CW_FIELD_ORIGINAL_CITATION);
	if (set >= 0 && rc == CW_OK && (!kept) != (!want))
		abort();
	if (kept && want && strcmp(kept, want) != 0)
		abort();
	/* and again on a record that already has some fields: none is overwritten */
	cw_record_set_text(r2, CW_FIELD_TITLE, "kept", CW_NUL);
	if (cw_citation_parse(s, r2, CW_FIELD_ORIGINAL_CITATION, CW_CITATION_QUIET) == CW_OK &&
	    strcmp(cw_record_text(r2, CW_FIELD_TITLE), "kept") != 0)
		abort();
	cw_record_free(r2);
	cw_record_free(r);
	return 0;
}
