/*
 * Fuzz harness support: one entry point that runs a conversion through the
 * real plugins (loaded from CROSSWALK_PLUGIN_PATH, else this build's plugin
 * directory) on fuzzer bytes. Crashes, leaks and sanitizer reports are the
 * findings; conversion errors are normal outcomes.
 */
#ifndef CW_FUZZ_H
#define CW_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/*
 * Reads data with format `from` and writes every record with each format of
 * `to` (NULL-terminated), optionally through the filters (NULL-terminated,
 * may be NULL). Aborts if the pipeline reports success but a writer produced
 * nothing for a non-empty record stream. Returns the pipeline status.
 */
int cwf_convert(const char *from, const char *const *to, const char *const *filters,
                const uint8_t *data, size_t size);

/*
 * A stage session that lives as long as the process (a CSL-JSON writer's
 * on a memory stream, diagnostics dropped), for targets that call a
 * library function that needs one (cw_citation_parse).
 */
struct cw_session;
struct cw_session *cwf_session(void);

#endif
