/*
 * Checks the CSL-JSON plugin's JSON parser against jansson, the JSON
 * library this project otherwise relies on: both must accept the same
 * texts and build the same values. Used by the unit tests and by the
 * fuzz target fuzz_csljson_json.
 */
#ifndef CW_JSON_ORACLE_H
#define CW_JSON_ORACLE_H

#include <stddef.h>

/*
 * Parses s[0..len) with both. 0 when they agree (both reject, or both
 * accept with equal values); otherwise 1 with a description in why.
 * The differences allowed by design (see csljson_json.h) count as agreement.
 */
int cwt_json_oracle(const char *s, size_t len, char *why, size_t whylen);

#endif
