# staging: the same shape as prod, smaller.

terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }

  backend "s3" {
    bucket         = "northwind-terraform-state"
    key            = "environments/staging/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "terraform-locks"
  }
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  name = "northwind-staging"
}

module "vpc" {
  source = "../../modules/vpc"

  name            = local.name
  cidr            = "10.20.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b"]
  private_subnets = ["10.20.1.0/24", "10.20.2.0/24"]
  public_subnets  = ["10.20.101.0/24", "10.20.102.0/24"]
}

module "ledger_db" {
  source = "../../modules/rds"

  identifier            = "${local.name}-ledger"
  subnet_ids            = module.vpc.private_subnet_ids
  vpc_id                = module.vpc.vpc_id
  app_security_group_id = module.vpc.alb_security_group_id
  deletion_protection   = true
}

module "alarms" {
  source = "git::https://github.com/northwind/terraform-modules.git//cloudwatch-alarms"

  name = local.name
}

module "dashboards" {
  source = "git::https://github.com/northwind/terraform-modules.git//dashboards?ref=v1.4.2"

  name = local.name
}
