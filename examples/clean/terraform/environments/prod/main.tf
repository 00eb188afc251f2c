# prod: providers and modules pinned, state encrypted.

terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }

  backend "s3" {
    bucket         = "southwind-terraform-state"
    key            = "environments/prod/terraform.tfstate"
    region         = "us-east-2"
    dynamodb_table = "terraform-locks"
    encrypt        = true
  }
}

provider "aws" {
  region = "us-east-2"
}

locals {
  name = "southwind-prod"
}

module "vpc" {
  source = "../../modules/vpc"

  name = local.name
  cidr = "10.30.0.0/16"
}

module "orders_db" {
  source = "../../modules/rds"

  identifier            = "${local.name}-orders"
  vpc_id                = module.vpc.vpc_id
  app_security_group_id = module.vpc.app_security_group_id
}

module "media" {
  source = "../../modules/s3"

  prefix = local.name
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "20.8.4"

  cluster_name                   = local.name
  cluster_version                = "1.29"
  cluster_endpoint_public_access = false
  vpc_id                         = module.vpc.vpc_id
}

module "alarms" {
  source = "git::https://github.com/southwind/terraform-modules.git//alarms?ref=v3.2.0"

  name = local.name
}
