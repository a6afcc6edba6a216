/*
 * Table-driven Criterion tests. Criterion hands each parameter to the test's
 * worker process by value, and a worker may be a fresh exec of the binary,
 * so pointers inside a parameter struct would dangle there. Parameterise
 * over indices into a static table instead:
 *
 *     CWT_CASES(suite, name, table)
 *     ParameterizedTest(size_t *i, suite, name) { const struct x *c = &table[*i]; ... }
 */
#ifndef CWT_CASES_H
#define CWT_CASES_H

#include <criterion/parameterized.h>

#define CWT_CASES(suite, name, table)                                                              \
	ParameterizedTestParameters(suite, name)                                                   \
	{                                                                                          \
		static size_t idx_[sizeof(table) / sizeof((table)[0])];                            \
		for (size_t i_ = 0; i_ < sizeof idx_ / sizeof idx_[0]; i_++)                       \
			idx_[i_] = i_;                                                             \
		return cr_make_param_array(size_t, idx_, sizeof idx_ / sizeof idx_[0]);            \
	}

#endif
