variable "prefix" {
  description = "Bucket name prefix, e.g. northwind-prod."
  type        = string
}

variable "kms_key_arn" {
  type = string
}
