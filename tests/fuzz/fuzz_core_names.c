/*
 * Fuzzes the name parser a plugin author calls (cw_name_split and
 * cw_name_parse) under every combination of its flags: the spans it gives
 * lie inside the text and do not overlap, a literal comes alone, a parsed
 * name has a part, and each part in the store is the span's text with its
 * white space made single spaces.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crosswalk/crosswalk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(cw_name_span s, size_t size)
{
	if (s.len && (s.off > size || s.len > size - s.off))
		abort(); /* a span past the text */
}

static int overlap(cw_name_span a, cw_name_span b)
{
	return a.len && b.len && a.off < b.off + b.len && b.off < a.off + a.len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	static const unsigned all =
	    CW_NAME_PARSE_ORGS | CW_NAME_PARSE_AFFILIATION | CW_NAME_PARSE_BIBTEX;
	for (unsigned flags = 0; flags <= all; flags++) {
		cw_name_parts p = CW_NAME_PARTS_INIT;
		int rc = cw_name_split(&p, text, size, flags, NULL, NULL);
		if (rc != CW_OK && rc != CW_EFORMAT)
			abort();
		if (rc == CW_OK) {
			cw_name_span s[6] = {p.given,  p.particle, p.family,
			                     p.suffix, p.literal,  p.affiliation};
			for (int i = 0; i < 6; i++) {
				inside(s[i], size);
				for (int j = i + 1; j < 6; j++)
					if (overlap(s[i], s[j]))
						abort(); /* two parts share bytes */
			}
			if (p.literal.len &&
			    (p.given.len || p.family.len || p.particle.len || p.suffix.len))
				abort(); /* a literal name has no other part */
			if (p.commas > 2)
				abort();
		}
		cw_name n = CW_NAME_INIT;
		cw_buf store = CW_BUF_INIT;
		const char *aff = NULL;
		rc = cw_name_parse(&n, &store, text, size, flags, &aff);
		if (rc == CW_OK) {
			const char *part[] = {n.given,  n.family,  n.non_dropping_particle,
			                      n.suffix, n.literal, aff};
			int some = 0;
			for (int i = 0; i < 6; i++) {
				if (!part[i])
					continue;
				some |= i < 5;
				size_t l = strlen(part[i]);
				if (!l || part[i][0] == ' ' || part[i][l - 1] == ' ' ||
				    strstr(part[i], "  "))
					abort(); /* a part is trimmed, its spaces single */
			}
			if (!some)
				abort(); /* parsed, but no part */
		} else if (rc != CW_EFORMAT) {
			abort();
		}
		cw_buf_free(&store);
	}
	return 0;
}
