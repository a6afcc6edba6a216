#include "cw_test.h"
Test(dc_placeholder, none) { cr_skip_test("not written yet"); }
