variable "identifier" {
  type = string
}

variable "instance_class" {
  type    = string
  default = "db.t4g.medium"
}

variable "subnet_ids" {
  type = list(string)
}

variable "vpc_id" {
  type = string
}

variable "app_security_group_id" {
  type = string
}

variable "storage_encrypted" {
  type    = bool
  default = true
}

variable "backup_retention_days" {
  type    = number
  default = 14
}

# Set per environment: the module cannot know which one it is in.
variable "deletion_protection" {
  type = bool
}

# The reporting vendor's API token, pasted here "temporarily".
variable "reporting_api_token" {
  type    = string
  default = "northwind-reporting-legacy-integration"
}
