/*
 * Fuzzes the BibTeX plugin's value parsers directly: the LaTeX decoder (with
 * macros a @preamble defines) and the name-list parser. The fuzzer's bytes
 * up to the first newline are the @preamble; the rest is put, as one braced
 * value, in a title, an author list and an editor list, so that every
 * mutation lands inside a value instead of breaking the entry's grammar.
 * Written back as BibTeX, BibLaTeX and CSL-JSON (the LaTeX encoder and the
 * name writer).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cw_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put(char **p, const void *s, size_t n)
{
	memcpy(*p, s, n);
	*p += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 16)
		return 0;
	const uint8_t *nl = memchr(data, '\n', size);
	size_t pre = nl ? (size_t)(nl - data) : 0;
	const uint8_t *v = nl ? nl + 1 : data;
	size_t vn = size - (size_t)(v - data);
	static const char p0[] = "@preamble{\"", p1[] = "\"}\n@misc{k,\n title = {",
	                  a0[] = "},\n author = {", e0[] = "},\n editor = {", end[] = "}\n}\n";
	char *buf = malloc(sizeof p0 + pre + sizeof p1 + sizeof a0 + sizeof e0 + sizeof end + 3 * vn);
	if (!buf)
		return 0;
	char *p = buf;
	put(&p, p0, sizeof p0 - 1);
	put(&p, data, pre);
	put(&p, p1, sizeof p1 - 1);
	put(&p, v, vn);
	put(&p, a0, sizeof a0 - 1);
	put(&p, v, vn);
	put(&p, e0, sizeof e0 - 1);
	put(&p, v, vn);
	put(&p, end, sizeof end - 1);
	cwf_convert("bibtex", (const char *[]){"bibtex", "biblatex", "csljson", NULL}, NULL,
	            (const uint8_t *)buf, (size_t)(p - buf));
	free(buf);
	return 0;
}
