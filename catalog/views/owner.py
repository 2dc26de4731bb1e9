"""The IKM owner's product and certificate pages under /dasbor/."""
