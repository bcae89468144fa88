// Header-only module; a C target needs one source file.
#include "CEpoll.h"
