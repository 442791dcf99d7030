#ifndef EHEALTH_CPKCS11_H
#define EHEALTH_CPKCS11_H

// The subset of the PKCS#11 v2.40 interface that eHealth signing needs (C_GetFunctionList and
// the function table), declared here by the project. Filled in by the PKCS#11 work of issue 3.

#endif
